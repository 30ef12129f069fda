// Offline checks of the Kubernetes manifests under deploy/ (no cluster needed):
//  1. `kubectl kustomize` renders every overlay (kubectl 1.30 from tools/bin);
//  2. every rendered object validates against its schema: Kubernetes API objects with the
//     kubernetes-models validators (restricted to API versions Kubernetes 1.30 serves),
//     CloudNativePG, cert-manager and prometheus-operator objects with their models;
//  3. the rules of docs/operations.md: probes, security context, resources, spread, drain
//     timing, one migration Job / HPA / PDB / Service / ServiceAccount per service, no Secret
//     committed, production replicas, synchronous replication, backups and mTLS;
//  4. every LOCALGOV_* variable set is a setting the service reads (`<service> settings`),
//     and every setting a pod needs is set;
//  5. the NetworkPolicy edges equal the expected edges: those the services' settings use
//     (peers), their stores, the portal, monitoring, and nothing else;
//  6. every metric an alert reads is one the services export.
// Usage: node tools/deploy-check/check.mjs [--deploy deploy] [--build build]
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../..");

export const SERVICES = ["dossier", "petition", "cadre", "liaison"];
// Reached by the provincial portal (ARCHITECTURE.md): the public APIs.
const PORTAL_FACING = new Set(["dossier", "petition", "liaison"]);
const PORTAL = "portal";
const MONITORING = "ns:monitoring";
const CNPG_OPERATOR = "ns:cnpg-system";
const DNS = "ns:kube-system";

// apiVersion/kind -> model module. The built-in ones are all served by Kubernetes 1.30.
const MODELS = {
  "v1/Namespace": "kubernetes-models/v1/Namespace",
  "v1/ConfigMap": "kubernetes-models/v1/ConfigMap",
  "v1/Service": "kubernetes-models/v1/Service",
  "v1/ServiceAccount": "kubernetes-models/v1/ServiceAccount",
  "apps/v1/Deployment": "kubernetes-models/apps/v1/Deployment",
  "apps/v1/StatefulSet": "kubernetes-models/apps/v1/StatefulSet",
  "batch/v1/Job": "kubernetes-models/batch/v1/Job",
  "autoscaling/v2/HorizontalPodAutoscaler": "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler",
  "policy/v1/PodDisruptionBudget": "kubernetes-models/policy/v1/PodDisruptionBudget",
  "networking.k8s.io/v1/NetworkPolicy": "kubernetes-models/networking.k8s.io/v1/NetworkPolicy",
  "postgresql.cnpg.io/v1/Cluster": "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster",
  "postgresql.cnpg.io/v1/ScheduledBackup":
    "@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/ScheduledBackup",
  "cert-manager.io/v1/Issuer": "@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer",
  "cert-manager.io/v1/Certificate": "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate",
  "monitoring.coreos.com/v1/PodMonitor":
    "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor",
  "monitoring.coreos.com/v1/PrometheusRule":
    "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule",
};

// The alerts docs/operations.md promises.
const REQUIRED_ALERTS = [
  "LocalgovServiceNotServing",
  "LocalgovOutboxBacklogOld",
  "LocalgovDeadLetters",
  "LocalgovDossiersLateWithoutApology",
  "LocalgovDatabasePoolSaturated",
];

export function render(overlayDir) {
  const kubectl = path.join(repoRoot, "tools/bin/kubectl");
  const out = execFileSync(kubectl, ["kustomize", overlayDir], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return parseAllDocuments(out).map((d) => d.toJSON()).filter(Boolean);
}

// `<service> settings` as {env: {required, peer}}.
export function serviceSettings(buildDir) {
  const result = {};
  for (const svc of SERVICES) {
    const bin = path.join(buildDir, "services", svc, svc);
    const tsv = execFileSync(bin, ["settings"], { encoding: "utf8" });
    const rows = tsv.trim().split("\n").slice(1).map((l) => l.split("\t"));
    result[svc] = Object.fromEntries(
      rows.map(([env, flag, required, peer, def]) => [
        env,
        { flag, required: required === "yes", peer: peer === "yes", def },
      ]),
    );
  }
  return result;
}

// Metric names the C++ sources register.
export function exportedMetrics() {
  const names = new Set();
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(cc|h)$/.test(e.name)) {
        for (const m of fs.readFileSync(p, "utf8").matchAll(/Name\("(localgov_[a-z_]+)"\)/g)) {
          names.add(m[1]);
        }
      }
    }
  };
  walk(path.join(repoRoot, "common"));
  walk(path.join(repoRoot, "services"));
  return names;
}

async function validateSchema(obj, errors) {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const mod = MODELS[key];
  const where = `${key} ${obj.metadata?.name}`;
  if (!mod) {
    errors.push(`${where}: not a kind this deployment may use (Kubernetes 1.30 API or a known operator)`);
    return;
  }
  const Model = (await import(mod))[obj.kind];
  try {
    new Model(obj).validate();
  } catch (e) {
    errors.push(`${where}: schema: ${e.message}`);
  }
}

const labelName = (labels) =>
  labels?.["app.kubernetes.io/name"] ?? (labels?.["cnpg.io/cluster"] ? labels["cnpg.io/cluster"] : undefined);

function peerNode(peer) {
  if (peer.ipBlock) return `ip:${peer.ipBlock.cidr}`;
  if (peer.namespaceSelector) {
    const l = peer.namespaceSelector.matchLabels ?? {};
    if (l["localgov.gov.vn/portal"] === "true") return PORTAL;
    if (l["kubernetes.io/metadata.name"]) return `ns:${l["kubernetes.io/metadata.name"]}`;
    return "ns:?";
  }
  if (peer.podSelector) return labelName(peer.podSelector.matchLabels) ?? "pods:?";
  return "?";
}

// Edges "from->to" the NetworkPolicies allow on the receiving side (ingress) and on the
// sending side (egress), and whether a default deny exists.
export function policyEdges(objects) {
  const ingress = new Set();
  const egress = new Set();
  let defaultDeny = false;
  for (const np of objects.filter((o) => o.kind === "NetworkPolicy")) {
    const spec = np.spec ?? {};
    const sel = spec.podSelector ?? {};
    const selected =
      Object.keys(sel.matchLabels ?? {}).length === 0 && !sel.matchExpressions ? "*" : labelName(sel.matchLabels);
    const types = spec.policyTypes ?? [];
    if (selected === "*" && types.includes("Ingress") && types.includes("Egress") && !spec.ingress && !spec.egress) {
      defaultDeny = true;
    }
    for (const rule of spec.ingress ?? []) {
      for (const from of rule.from ?? [{ everyone: true }]) {
        ingress.add(`${from.everyone ? "anywhere" : peerNode(from)}->${selected}`);
      }
    }
    for (const rule of spec.egress ?? []) {
      for (const to of rule.to ?? [{ everyone: true }]) {
        egress.add(`${selected}->${to.everyone ? "anywhere" : peerNode(to)}`);
      }
    }
  }
  return { ingress, egress, defaultDeny };
}

// Outside this namespace's pods: the portal, other namespaces, addresses.
const external = (node) => node === PORTAL || node.startsWith("ns:") || node.startsWith("ip:");

// The edges there must be: from the services' settings (peers) and the fixed ones.
export function expectedEdges(settings) {
  const e = new Set([`*->${DNS}`]);
  const callersOf = {};
  for (const svc of SERVICES) {
    for (const [env, s] of Object.entries(settings[svc])) {
      if (!s.peer) continue;
      const peer = env.replace(/^LOCALGOV_/, "").replace(/_ADDR$/, "").toLowerCase();
      e.add(`${svc}->${peer}`); // egress of the caller
      (callersOf[peer] ??= []).push(svc);
    }
  }
  for (const svc of SERVICES) {
    for (const caller of callersOf[svc] ?? []) e.add(`${caller}->${svc}`);
    if (PORTAL_FACING.has(svc)) e.add(`${PORTAL}->${svc}`);
    e.add(`${MONITORING}->${svc}`);
    const db = `${svc}-db`;
    e.add(`${svc}->${db}`);
    e.add(`${svc}->redis`);
    e.add(`${svc}-migrate->${db}`);
    // the database cluster: the service and its migration Job, replication, the operator,
    // and out to the Kubernetes API and object storage
    e.add(`${svc}->${db}`);
    e.add(`${db}->${db}`);
    e.add(`${CNPG_OPERATOR}->${db}`);
    e.add(`${db}->ip:0.0.0.0/0`);
  }
  return e;
}

function envOf(container, configMaps) {
  const env = {};
  for (const ref of container.envFrom ?? []) {
    const cm = configMaps[ref.configMapRef?.name];
    if (cm) Object.assign(env, cm.data ?? {});
  }
  for (const v of container.env ?? []) env[v.name] = v.value ?? (v.valueFrom ? "<from secret>" : "");
  return env;
}

const portOf = (hostPort) => Number(String(hostPort).split(":").pop());

function checkSecurity(where, podSpec, errors) {
  const psc = podSpec.securityContext ?? {};
  if (psc.runAsNonRoot !== true) errors.push(`${where}: pod securityContext.runAsNonRoot must be true`);
  if (psc.seccompProfile?.type !== "RuntimeDefault") {
    errors.push(`${where}: pod seccompProfile must be RuntimeDefault`);
  }
  for (const c of podSpec.containers ?? []) {
    const sc = c.securityContext ?? {};
    if (sc.readOnlyRootFilesystem !== true) errors.push(`${where}/${c.name}: readOnlyRootFilesystem must be true`);
    if (sc.allowPrivilegeEscalation !== false) {
      errors.push(`${where}/${c.name}: allowPrivilegeEscalation must be false`);
    }
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) errors.push(`${where}/${c.name}: capabilities must drop ALL`);
    for (const kind of ["requests", "limits"]) {
      for (const r of ["cpu", "memory"]) {
        if (!c.resources?.[kind]?.[r]) errors.push(`${where}/${c.name}: resources.${kind}.${r} missing`);
      }
    }
  }
}

// Every check on one rendered overlay; returns the problems found.
export async function checkObjects(objects, overlay, settings, metrics) {
  const errors = [];
  for (const o of objects) await validateSchema(o, errors);
  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  const find = (kind, name) => objects.find((o) => o.kind === kind && o.metadata?.name === name);
  const configMaps = Object.fromEntries(byKind("ConfigMap").map((c) => [c.metadata.name, c]));
  const production = overlay === "production";

  for (const s of byKind("Secret")) errors.push(`Secret ${s.metadata.name}: secrets are referenced, never committed`);

  for (const w of [...byKind("Deployment"), ...byKind("StatefulSet"), ...byKind("Job")]) {
    checkSecurity(`${w.kind} ${w.metadata.name}`, w.spec.template.spec, errors);
  }

  for (const svc of SERVICES) {
    const where = `Deployment ${svc}`;
    const dep = find("Deployment", svc);
    if (!dep) {
      errors.push(`${where}: missing`);
      continue;
    }
    const pod = dep.spec.template.spec;
    const c = pod.containers.find((x) => x.name === svc) ?? pod.containers[0];
    const env = envOf(c, configMaps);
    const known = settings[svc];
    for (const name of Object.keys(env)) {
      if (!known[name]) errors.push(`${where}: ${name} is not a setting ${svc} reads (\`${svc} settings\`)`);
    }
    for (const [name, s] of Object.entries(known)) {
      if (s.required && !(name in env)) errors.push(`${where}: required setting ${name} is not set`);
      if (s.peer && !(name in env)) errors.push(`${where}: ${name} is not set (its default is loopback)`);
    }
    for (const name of ["LOCALGOV_LISTEN", "LOCALGOV_METRICS_LISTEN", "LOCALGOV_HEALTH_LISTEN", "LOCALGOV_REDIS_ADDR"]) {
      if (!(name in env)) errors.push(`${where}: ${name} must be set in a cluster (its default is loopback)`);
    }
    const ports = Object.fromEntries((c.ports ?? []).map((p) => [p.name, p.containerPort]));
    if (env.LOCALGOV_LISTEN && portOf(env.LOCALGOV_LISTEN) !== ports.grpc) {
      errors.push(`${where}: LOCALGOV_LISTEN port differs from the container port named grpc`);
    }
    if (env.LOCALGOV_METRICS_LISTEN && portOf(env.LOCALGOV_METRICS_LISTEN) !== ports.metrics) {
      errors.push(`${where}: LOCALGOV_METRICS_LISTEN port differs from the container port named metrics`);
    }
    for (const probe of ["readinessProbe", "livenessProbe"]) {
      const p = c[probe];
      if (!p?.grpc) {
        errors.push(`${where}: ${probe} must be a native grpc probe (grpc.health.v1)`);
      } else if (env.LOCALGOV_HEALTH_LISTEN && p.grpc.port !== portOf(env.LOCALGOV_HEALTH_LISTEN)) {
        errors.push(`${where}: ${probe} must use the plaintext health port (LOCALGOV_HEALTH_LISTEN)`);
      }
    }
    const preStop = c.lifecycle?.preStop?.exec?.command;
    const sleep = preStop?.[0] === "sleep" ? Number(preStop[1]) : NaN;
    if (Number.isNaN(sleep)) errors.push(`${where}: preStop must be ["sleep", N] (endpoints update before the drain)`);
    const drain = Number(env.LOCALGOV_DRAIN_SECONDS ?? known.LOCALGOV_DRAIN_SECONDS?.def ?? 0);
    const shutdown = Number(env.LOCALGOV_SHUTDOWN_TIMEOUT_SECONDS ?? known.LOCALGOV_SHUTDOWN_TIMEOUT_SECONDS?.def ?? 0);
    const grace = pod.terminationGracePeriodSeconds ?? 30;
    if (!Number.isNaN(sleep) && grace < sleep + drain + shutdown + 5) {
      errors.push(`${where}: terminationGracePeriodSeconds ${grace} < preStop ${sleep} + drain ${drain} + shutdown ${shutdown} + 5`);
    }
    if (!(pod.topologySpreadConstraints ?? []).length) errors.push(`${where}: topologySpreadConstraints missing`);
    const mounts = (c.volumeMounts ?? []).map((m) => m.mountPath);
    for (const name of ["LOCALGOV_AUTH_PUBLIC_KEY_FILE", "LOCALGOV_TLS_CERT_FILE", "LOCALGOV_TLS_KEY_FILE", "LOCALGOV_TLS_CLIENT_CA_FILE"]) {
      if (env[name] && !mounts.some((m) => env[name].startsWith(m + "/"))) {
        errors.push(`${where}: ${name} (${env[name]}) is not under a mounted volume`);
      }
    }
    for (const [name, s] of Object.entries(known)) {
      if (!s.peer || !env[name]) continue;
      const host = env[name].split(":")[0];
      if (!find("Service", host)) errors.push(`${where}: ${name} names ${host}, which is no Service here`);
    }

    const service = find("Service", svc);
    if (!service?.spec?.ports?.some((p) => p.name === "grpc")) errors.push(`Service ${svc}: missing, or no port named grpc`);
    if (!service?.spec?.ports?.some((p) => p.name === "metrics")) errors.push(`Service ${svc}: no port named metrics`);
    if (!find("ServiceAccount", svc)) errors.push(`ServiceAccount ${svc}: missing`);
    const job = find("Job", `${svc}-migrate`);
    const jc = job?.spec?.template?.spec?.containers?.[0];
    if (!jc || JSON.stringify(jc.args) !== JSON.stringify(["migrate"])) {
      errors.push(`Job ${svc}-migrate: missing, or it does not run \`${svc} migrate\``);
    } else {
      const jenv = envOf(jc, configMaps);
      for (const name of Object.keys(jenv)) {
        if (!known[name]) errors.push(`Job ${svc}-migrate: ${name} is not a setting ${svc} reads`);
      }
      if (!("LOCALGOV_DATABASE_URL" in jenv)) errors.push(`Job ${svc}-migrate: LOCALGOV_DATABASE_URL is not set`);
      if (jc.image !== c.image) errors.push(`Job ${svc}-migrate: runs another image than the Deployment`);
    }
    const hpa = byKind("HorizontalPodAutoscaler").find((h) => h.spec.scaleTargetRef?.name === svc);
    if (!hpa) errors.push(`HorizontalPodAutoscaler for ${svc}: missing`);
    const pdb = byKind("PodDisruptionBudget").find(
      (p) => p.spec.selector?.matchLabels?.["app.kubernetes.io/name"] === svc,
    );
    if (!pdb) errors.push(`PodDisruptionBudget for ${svc}: missing`);
    const db = find("Cluster", `${svc}-db`);
    if (!db) errors.push(`Cluster ${svc}-db (CloudNativePG): missing`);

    if (production) {
      if ((dep.spec.replicas ?? 1) < 2) errors.push(`${where}: production needs at least 2 replicas`);
      if ((hpa?.spec?.minReplicas ?? 1) < 2) errors.push(`HorizontalPodAutoscaler ${svc}: production minReplicas < 2`);
      for (const name of ["LOCALGOV_TLS_CERT_FILE", "LOCALGOV_TLS_KEY_FILE", "LOCALGOV_TLS_CLIENT_CA_FILE"]) {
        if (!env[name]) errors.push(`${where}: production needs mTLS (${name})`);
      }
      const tlsVolume = (pod.volumes ?? []).find((v) => v.secret?.secretName === `${svc}-tls`);
      const cert = byKind("Certificate").find((x) => x.spec.secretName === `${svc}-tls`);
      if (!tlsVolume || !cert) errors.push(`${where}: production mounts a cert-manager Certificate's Secret ${svc}-tls`);
      if (db) {
        if ((db.spec.instances ?? 1) < 3) errors.push(`Cluster ${svc}-db: production needs 3 instances`);
        if ((db.spec.minSyncReplicas ?? 0) < 1) errors.push(`Cluster ${svc}-db: production needs synchronous replication`);
        if (!db.spec.backup?.barmanObjectStore) errors.push(`Cluster ${svc}-db: production needs backups to object storage`);
        const scheduled = byKind("ScheduledBackup").some((b) => b.spec.cluster?.name === `${svc}-db`);
        if (!scheduled) errors.push(`Cluster ${svc}-db: production needs a ScheduledBackup`);
      }
    }
  }

  const { ingress, egress, defaultDeny } = policyEdges(objects);
  if (!defaultDeny) errors.push("NetworkPolicy: no default deny (podSelector {}, Ingress and Egress, no rules)");
  // An edge between two pods here must be allowed on both sides: egress of the caller and
  // ingress of the callee; an edge from or to the outside, on our side only.
  const expected = expectedEdges(settings);
  const wantIngress = new Set([...expected].filter((e) => !external(e.split("->")[1])));
  const wantEgress = new Set([...expected].filter((e) => !external(e.split("->")[0])));
  for (const [side, have, want] of [["ingress", ingress, wantIngress], ["egress", egress, wantEgress]]) {
    for (const e of have) {
      if (!want.has(e)) errors.push(`NetworkPolicy: edge ${e} is allowed (${side}) but no setting uses it`);
    }
    for (const e of want) {
      if (!have.has(e)) errors.push(`NetworkPolicy: edge ${e} is used but not allowed (${side})`);
    }
  }
  for (const np of byKind("NetworkPolicy")) {
    const sel = labelName(np.spec?.podSelector?.matchLabels);
    if (SERVICES.includes(sel) && !(np.spec.policyTypes ?? []).includes("Egress")) {
      errors.push(`NetworkPolicy ${np.metadata.name}: must restrict Egress too`);
    }
  }

  const rules = byKind("PrometheusRule").flatMap((r) => r.spec.groups.flatMap((g) => g.rules));
  for (const name of REQUIRED_ALERTS) {
    if (!rules.some((r) => r.alert === name)) errors.push(`PrometheusRule: alert ${name} missing`);
  }
  for (const r of rules) {
    for (const m of String(r.expr).matchAll(/\b(localgov_[a-z_]+)/g)) {
      if (!metrics.has(m[1])) errors.push(`PrometheusRule ${r.alert}: metric ${m[1]} is not exported by any service`);
    }
  }
  return errors;
}

export async function checkDeploy(deployDir, buildDir) {
  const settings = serviceSettings(buildDir);
  const metrics = exportedMetrics();
  const overlaysDir = path.join(deployDir, "overlays");
  const results = {};
  for (const overlay of fs.readdirSync(overlaysDir).sort()) {
    let objects;
    try {
      objects = render(path.join(overlaysDir, overlay));
    } catch (e) {
      results[overlay] = { count: 0, errors: [`kubectl kustomize failed: ${String(e.stderr ?? e.message).trim()}`] };
      continue;
    }
    results[overlay] = { count: objects.length, errors: await checkObjects(objects, overlay, settings, metrics) };
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, def) => {
    const i = args.indexOf(name);
    return i >= 0 ? path.resolve(args[i + 1]) : def;
  };
  const results = await checkDeploy(opt("--deploy", path.join(repoRoot, "deploy")), opt("--build", path.join(repoRoot, "build")));
  let bad = 0;
  for (const [overlay, r] of Object.entries(results)) {
    if (r.errors.length === 0) {
      console.log(`deploy/overlays/${overlay}: ${r.count} objects, all checks pass`);
    } else {
      bad++;
      console.log(`deploy/overlays/${overlay}: ${r.errors.length} problems`);
      for (const e of r.errors) console.log(`  ${e}`);
    }
  }
  process.exit(bad === 0 ? 0 : 1);
}
