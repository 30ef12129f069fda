// The deploy checks pass on deploy/ as committed, and fail on each kind of broken manifest.
// Run: node --test tests/deploy (ctest runs it as deploy_checks, after the build).
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { checkDeploy, repoRoot } from "../../tools/deploy-check/check.mjs";

const build = process.env.LOCALGOV_BUILD_DIR ?? path.join(repoRoot, "build");

// A copy of deploy/ with `edit(file text) -> new text` applied to one file.
function brokenCopy(file, edit) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "localgov-deploy-"));
  fs.cpSync(path.join(repoRoot, "deploy"), dir, { recursive: true });
  const target = path.join(dir, file);
  const before = fs.readFileSync(target, "utf8");
  const after = edit(before);
  assert.notEqual(after, before, `the edit must change ${file}`);
  fs.writeFileSync(target, after);
  return dir;
}

async function problems(deployDir) {
  const results = await checkDeploy(deployDir, build);
  return Object.entries(results).flatMap(([o, r]) => r.errors.map((e) => `${o}: ${e}`));
}

test("the committed manifests render and pass every check", async () => {
  const results = await checkDeploy(path.join(repoRoot, "deploy"), build);
  assert.deepEqual(Object.keys(results).sort(), ["local", "production"]);
  for (const [overlay, r] of Object.entries(results)) {
    assert.deepEqual(r.errors, [], overlay);
    assert.ok(r.count > 40, `${overlay} renders ${r.count} objects`);
  }
});

test("a misspelt environment variable fails", async () => {
  const dir = brokenCopy("base/dossier.yaml", (t) => t.replace("LOCALGOV_REDIS_ADDR:", "LOCALGOV_REDIS_ADRR:"));
  const p = await problems(dir);
  assert.ok(p.some((e) => e.includes("LOCALGOV_REDIS_ADRR is not a setting dossier reads")), p.join("\n"));
  assert.ok(p.some((e) => e.includes("LOCALGOV_REDIS_ADDR must be set")), p.join("\n"));
});

test("a missing required setting fails", async () => {
  const dir = brokenCopy("base/petition.yaml", (t) =>
    t.replace('  LOCALGOV_AUTH_PUBLIC_KEY_FILE: "/etc/localgov/auth/issuer.pub"\n', ""),
  );
  const p = await problems(dir);
  assert.ok(p.some((e) => e.includes("required setting LOCALGOV_AUTH_PUBLIC_KEY_FILE is not set")), p.join("\n"));
});

test("a missing readiness probe fails", async () => {
  const dir = brokenCopy("base/cadre.yaml", (t) =>
    t.replace(/          readinessProbe:\n            grpc:\n              port: 8081\n            periodSeconds: 5\n            failureThreshold: 2\n/, ""),
  );
  const p = await problems(dir);
  assert.ok(p.some((e) => e.includes("Deployment cadre: readinessProbe must be a native grpc probe")), p.join("\n"));
});

test("an extra network edge fails", async () => {
  // cadre's settings name no petition address, so cadre -> petition must not be allowed.
  const dir = brokenCopy("base/cadre.yaml", (t) =>
    t.replace(
      "  egress:\n    - to:\n        - podSelector:\n            matchLabels:\n              cnpg.io/cluster: cadre-db",
      "  egress:\n    - to:\n        - podSelector:\n            matchLabels:\n              app.kubernetes.io/name: petition\n" +
        "    - to:\n        - podSelector:\n            matchLabels:\n              cnpg.io/cluster: cadre-db",
    ),
  );
  const p = await problems(dir);
  assert.ok(p.some((e) => e.includes("edge cadre->petition is allowed (egress) but no setting uses it")), p.join("\n"));
});

test("a missing network edge fails", async () => {
  const dir = brokenCopy("base/liaison.yaml", (t) => t.replace("app.kubernetes.io/name: cadre\n", "app.kubernetes.io/name: cadre-x\n"));
  const p = await problems(dir);
  assert.ok(p.some((e) => e.includes("edge cadre->liaison is used but not allowed (ingress)")), p.join("\n"));
});

test("a schema violation fails", async () => {
  const dir = brokenCopy("base/dossier.yaml", (t) =>
    t.replace("  revisionHistoryLimit: 5\n", '  revisionHistoryLimit: "five"\n'),
  );
  const p = await problems(dir);
  assert.ok(p.some((e) => e.includes("apps/v1/Deployment dossier: schema")), p.join("\n"));
});

test("a drain longer than the termination grace fails", async () => {
  const dir = brokenCopy("base/liaison.yaml", (t) =>
    t.replace('LOCALGOV_SHUTDOWN_TIMEOUT_SECONDS: "10"', 'LOCALGOV_SHUTDOWN_TIMEOUT_SECONDS: "60"'),
  );
  const p = await problems(dir);
  assert.ok(p.some((e) => e.includes("Deployment liaison: terminationGracePeriodSeconds 30 <")), p.join("\n"));
});

test("production without synchronous replication or with one replica fails", async () => {
  const dir = brokenCopy("overlays/production/kustomization.yaml", (t) =>
    t.replace("        path: /spec/minSyncReplicas\n        value: 1", "        path: /spec/minSyncReplicas\n        value: 0")
      .replace("        path: /spec/replicas\n        value: 2", "        path: /spec/replicas\n        value: 1"),
  );
  const p = await problems(dir);
  assert.ok(p.some((e) => e.includes("production: Cluster dossier-db: production needs synchronous replication")), p.join("\n"));
  assert.ok(p.some((e) => e.includes("production: Deployment dossier: production needs at least 2 replicas")), p.join("\n"));
});

test("a committed Secret fails", async () => {
  const dir = brokenCopy("overlays/production/namespace.yaml", (t) =>
    t + "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: localgov-backup-s3\nstringData:\n  ACCESS_KEY_ID: AKIA\n",
  );
  const p = await problems(dir);
  assert.ok(p.some((e) => e.includes("Secret localgov-backup-s3: secrets are referenced, never committed")), p.join("\n"));
});

test("an alert on a metric no service exports fails", async () => {
  const dir = brokenCopy("base/monitoring.yaml", (t) => t.replace("localgov_outbox_dead_letters", "localgov_outbox_dead_letter"));
  const p = await problems(dir);
  assert.ok(p.some((e) => e.includes("metric localgov_outbox_dead_letter is not exported")), p.join("\n"));
});
