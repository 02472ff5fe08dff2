// The Prometheus text exposition format (version 0.0.4): families of counters, gauges and histograms, rendered.
// Pure: values in, text out.

export type Labels = Record<string, string>;

export interface Sample {
  labels?: Labels;
  value: number;
}

export type Family =
  | { name: string; help: string; type: "counter" | "gauge"; samples: Sample[] }
  | { name: string; help: string; type: "histogram"; buckets: number[]; series: { labels?: Labels; values: number[] }[] };

export const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
const escapeHelp = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");

export function renderLabels(labels: Labels | undefined): string {
  const entries = Object.entries(labels ?? {});
  return entries.length ? `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}}` : "";
}

function number(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

/** Cumulative buckets, sum and count of one histogram series. */
function histogramLines(name: string, buckets: number[], labels: Labels | undefined, values: number[]): string[] {
  const lines = buckets.map((le) => `${name}_bucket${renderLabels({ ...labels, le: number(le) })} ${values.filter((v) => v <= le).length}`);
  lines.push(`${name}_bucket${renderLabels({ ...labels, le: "+Inf" })} ${values.length}`);
  lines.push(`${name}_sum${renderLabels(labels)} ${number(values.reduce((a, b) => a + b, 0))}`);
  lines.push(`${name}_count${renderLabels(labels)} ${values.length}`);
  return lines;
}

export function renderMetrics(families: Family[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    if (f.type === "histogram") for (const s of f.series) lines.push(...histogramLines(f.name, f.buckets, s.labels, s.values));
    else for (const s of f.samples) lines.push(`${f.name}${renderLabels(s.labels)} ${number(s.value)}`);
  }
  return `${lines.join("\n")}\n`;
}
