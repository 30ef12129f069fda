// The Prometheus side of deploy/, for Prometheus's own tools (promtool, the server):
//  - the alert rule groups of the PrometheusRule objects in deploy/base/monitoring.yaml (the
//    one source of truth) as a plain Prometheus rules file;
//  - the Grafana dashboards (ConfigMaps labelled grafana_dashboard: "1", rendered by kustomize)
//    and every panel's PromQL, as recording rules promtool can check.
// Usage:
//   node tools/deploy-check/prometheus.mjs rules OUT.yaml [--for DURATION]
//       the alert rules; --for replaces every alert's `for:` (the end-to-end test's copy only)
//   node tools/deploy-check/prometheus.mjs dashboard-rules OUT.yaml
//       one recording rule per panel query (for `promtool check rules`)
//   node tools/deploy-check/prometheus.mjs dashboard-queries
//       one line per panel query: service <TAB> panel title <TAB> PromQL (Grafana's interval
//       variables replaced, so Prometheus can run it)
//   node tools/deploy-check/prometheus.mjs dashboard-metrics SERVICE
//       the localgov_* metric names the service's dashboard reads, one a line
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments, stringify } from "yaml";
import { render, repoRoot, SERVICES } from "./check.mjs";

export const DASHBOARD_LABEL = "grafana_dashboard";

export const readYaml = (file) => parse(fs.readFileSync(file, "utf8"));

// The rule groups of every PrometheusRule in the file.
export function alertGroups(deployDir = path.join(repoRoot, "deploy")) {
  const text = fs.readFileSync(path.join(deployDir, "base/monitoring.yaml"), "utf8");
  return parseAllDocuments(text)
    .map((d) => d.toJSON())
    .filter((o) => o?.kind === "PrometheusRule")
    .flatMap((o) => o.spec.groups);
}

export function alertRulesYaml(groups, { forOverride } = {}) {
  const copy = structuredClone(groups);
  if (forOverride) {
    for (const g of copy) for (const r of g.rules) if (r.alert) r.for = forOverride;
  }
  return stringify({ groups: copy }, { lineWidth: 0 });
}

// {service: dashboard JSON} from the ConfigMaps the overlay renders.
export function dashboards(deployDir = path.join(repoRoot, "deploy"), overlay = "local") {
  const result = {};
  for (const o of render(path.join(deployDir, "overlays", overlay))) {
    if (o.kind !== "ConfigMap" || o.metadata?.labels?.[DASHBOARD_LABEL] !== "1") continue;
    for (const [file, text] of Object.entries(o.data ?? {})) {
      const service = o.metadata.labels["app.kubernetes.io/name"] ?? file.replace(/\.json$/, "");
      result[service] = JSON.parse(text);
    }
  }
  return result;
}

// Every panel (rows' nested panels too) with its targets' expressions.
export function panelQueries(dashboard) {
  const out = [];
  const walk = (panels) => {
    for (const p of panels ?? []) {
      if (p.type === "row") walk(p.panels);
      for (const t of p.targets ?? []) if (t.expr) out.push({ title: p.title, refId: t.refId, expr: t.expr });
    }
  };
  walk(dashboard.panels);
  return out;
}

// Grafana's built-in interval variables replaced by a fixed range Prometheus accepts.
export function runnableQuery(expr) {
  return expr.replace(/\$\{?__(rate_interval|interval|range)\}?/g, "5m");
}

export const metricNames = (expr) => [...new Set([...expr.matchAll(/\b(localgov_[a-z0-9_]+)/g)].map((m) => m[1]))];

export function dashboardRecordingRules(boards) {
  const groups = [];
  for (const [service, board] of Object.entries(boards)) {
    groups.push({
      name: `dashboard-${service}`,
      rules: panelQueries(board).map((q, i) => ({
        record: `dashboard:${service}:panel_${i + 1}`,
        expr: runnableQuery(q.expr),
      })),
    });
  }
  return stringify({ groups }, { lineWidth: 0 });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [cmd, arg] = process.argv.slice(2);
  const flag = (name) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  if (cmd === "rules" && arg) {
    fs.writeFileSync(arg, alertRulesYaml(alertGroups(), { forOverride: flag("--for") }));
  } else if (cmd === "dashboard-rules" && arg) {
    fs.writeFileSync(arg, dashboardRecordingRules(dashboards()));
  } else if (cmd === "dashboard-queries") {
    for (const [service, board] of Object.entries(dashboards())) {
      for (const q of panelQueries(board)) {
        console.log(`${service}\t${q.title}\t${runnableQuery(q.expr).replace(/\s+/g, " ").trim()}`);
      }
    }
  } else if (cmd === "dashboard-metrics" && SERVICES.includes(arg)) {
    const board = dashboards()[arg];
    if (!board) throw new Error(`no dashboard for ${arg}`);
    for (const m of new Set(panelQueries(board).flatMap((q) => metricNames(q.expr)))) console.log(m);
  } else {
    console.error("usage: prometheus.mjs rules OUT [--for D] | dashboard-rules OUT | dashboard-queries | dashboard-metrics SERVICE");
    process.exit(2);
  }
}
