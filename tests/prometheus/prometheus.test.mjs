// The alert rules and dashboards of deploy/ checked by Prometheus's own promtool (Debian's
// `prometheus` package; scripts/install-deps.sh installs it; without it these tests fail):
//  - the PrometheusRule groups extracted to a plain rules file pass `promtool check rules`;
//  - `promtool test rules` runs tests/prometheus/alerts.test.yaml, which has a firing and a
//    non-firing case for every alert (checked here), and fails once a threshold is changed;
//  - every Grafana dashboard panel's PromQL, as recording rules, passes `promtool check rules`
//    (and a broken query fails it); one dashboard per service, each reading exported metrics.
// Run: node --test tests/prometheus (ctest: prometheus_rules).
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { exportedMetrics, repoRoot, SERVICES } from "../../tools/deploy-check/check.mjs";
import {
  alertGroups,
  alertRulesYaml,
  dashboardRecordingRules,
  dashboards,
  metricNames,
  panelQueries,
  readYaml,
} from "../../tools/deploy-check/prometheus.mjs";

const here = path.dirname(new URL(import.meta.url).pathname);
const unitTests = path.join(here, "alerts.test.yaml");

function promtool(args) {
  const r = spawnSync("promtool", args, { encoding: "utf8" });
  if (r.error?.code === "ENOENT") {
    assert.fail("promtool not found: install Debian's prometheus package (scripts/install-deps.sh)");
  }
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

// The rules (as text) and the unit tests side by side in a temporary folder.
function workDir(rulesText) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "localgov-promtool-"));
  fs.writeFileSync(path.join(dir, "localgov.rules.yaml"), rulesText);
  fs.copyFileSync(unitTests, path.join(dir, "alerts.test.yaml"));
  return dir;
}

const groups = alertGroups();
const alerts = groups.flatMap((g) => g.rules.filter((r) => r.alert).map((r) => r.alert));

test("promtool is installed", () => {
  const r = promtool(["--version"]);
  assert.ok(r.ok, r.out);
});

test("the PrometheusRule's groups pass promtool check rules", () => {
  const dir = workDir(alertRulesYaml(groups));
  const r = promtool(["check", "rules", path.join(dir, "localgov.rules.yaml")]);
  assert.ok(r.ok, r.out);
  assert.match(r.out, new RegExp(`SUCCESS: ${alerts.length} rules found`));
  assert.ok(alerts.length >= 10, `${alerts.length} alerts`);
});

test("every alert's unit tests pass promtool test rules", () => {
  const dir = workDir(alertRulesYaml(groups));
  const r = promtool(["test", "rules", path.join(dir, "alerts.test.yaml")]);
  assert.ok(r.ok, r.out);
  assert.match(r.out, /SUCCESS/);
});

test("every alert has a firing and a non-firing unit test, and no test names an unknown alert", () => {
  const cases = readYaml(unitTests).tests.flatMap((t) => t.alert_rule_test ?? []);
  for (const name of alerts) {
    const mine = cases.filter((c) => c.alertname === name);
    assert.ok(mine.some((c) => (c.exp_alerts ?? []).length > 0), `${name}: no case where it fires`);
    assert.ok(mine.some((c) => (c.exp_alerts ?? []).length === 0), `${name}: no case where it must not fire`);
  }
  for (const c of cases) assert.ok(alerts.includes(c.alertname), `unit test for unknown alert ${c.alertname}`);
});

test("a changed threshold or a shorter `for` fails the unit tests", () => {
  const raised = structuredClone(groups);
  const rule = raised.flatMap((g) => g.rules).find((r) => r.alert === "LocalgovHandoffsNotSyncedWithinTenMinutes");
  rule.expr = rule.expr.replace("> 600", "> 900");
  assert.ok(!promtool(["test", "rules", path.join(workDir(alertRulesYaml(raised)), "alerts.test.yaml")]).ok);
  const hasty = alertRulesYaml(groups, { forOverride: "0s" });
  assert.ok(!promtool(["test", "rules", path.join(workDir(hasty), "alerts.test.yaml")]).ok);
});

const boards = dashboards();

test("one Grafana dashboard ConfigMap per service, each with queries", () => {
  assert.deepEqual(Object.keys(boards).sort(), [...SERVICES].sort());
  for (const [service, board] of Object.entries(boards)) {
    assert.equal(board.uid, `localgov-${service}`);
    const queries = panelQueries(board);
    assert.ok(queries.length >= 5, `${service}: ${queries.length} queries`);
    for (const q of queries) assert.match(q.expr, /localgov_/, `${service} / ${q.title}`);
  }
});

test("every dashboard query passes promtool check rules", () => {
  const file = path.join(workDir(dashboardRecordingRules(boards)), "dashboards.rules.yaml");
  fs.writeFileSync(file, dashboardRecordingRules(boards));
  const r = promtool(["check", "rules", file]);
  assert.ok(r.ok, r.out);
  const total = Object.values(boards).reduce((n, b) => n + panelQueries(b).length, 0);
  assert.match(r.out, new RegExp(`SUCCESS: ${total} rules found`));
});

test("a broken dashboard query fails promtool check rules", () => {
  const broken = structuredClone(boards);
  const target = broken.liaison.panels.find((p) => p.targets)?.targets[0];
  target.expr = target.expr.replace(/\)\s*$/, ""); // an unbalanced parenthesis
  const dir = workDir("groups: []\n");
  const file = path.join(dir, "dashboards.rules.yaml");
  fs.writeFileSync(file, dashboardRecordingRules(broken));
  const r = promtool(["check", "rules", file]);
  assert.ok(!r.ok, r.out);
});

test("every metric a dashboard reads is one the services export", () => {
  // Histograms are queried by their _bucket/_sum/_count series.
  const exported = exportedMetrics();
  for (const [service, board] of Object.entries(boards)) {
    for (const q of panelQueries(board)) {
      for (const m of metricNames(q.expr)) {
        const base = m.replace(/_(bucket|sum|count)$/, "");
        assert.ok(exported.has(m) || exported.has(base), `${service} / ${q.title}: ${m} is not exported`);
      }
    }
  }
});

test("kustomize renders the dashboards with the sidecar's label in both overlays", () => {
  const kubectl = path.join(repoRoot, "tools/bin/kubectl");
  for (const overlay of ["local", "production"]) {
    const out = execFileSync(kubectl, ["kustomize", path.join(repoRoot, "deploy/overlays", overlay)], { encoding: "utf8" });
    for (const service of SERVICES) {
      assert.match(out, new RegExp(`name: localgov-dashboard-${service}\\n`), `${overlay}: ${service}`);
    }
    assert.equal(dashboards(path.join(repoRoot, "deploy"), overlay).liaison.uid, "localgov-liaison");
  }
});
