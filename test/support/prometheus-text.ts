// A strict reader of the Prometheus text exposition format (0.0.4), for tests: every line must be a HELP, a TYPE
// or a sample of a declared family; label values unescaped; histogram buckets checked to be cumulative.

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  name: string;
  type: "counter" | "gauge" | "histogram" | "summary" | "untyped";
  help: string;
  samples: ParsedSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length) {
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/.exec(rest);
    if (!m) throw new Error(`bad label set {${text}}`);
    labels[m[1]] = m[2].replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    rest = rest.slice(m[0].length);
  }
  return labels;
}

function parseValue(text: string): number {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (text === "NaN") return NaN;
  const v = Number(text);
  if (text === "" || Number.isNaN(v)) throw new Error(`bad sample value ${text}`);
  return v;
}

export function parsePrometheusText(text: string): Map<string, ParsedFamily> {
  const families = new Map<string, ParsedFamily>();
  const familyOf = (sample: string) => {
    for (const suffix of ["", "_bucket", "_sum", "_count"]) {
      const f = families.get(suffix ? sample.slice(0, -suffix.length) : sample);
      if (f && sample.endsWith(suffix) && (suffix === "" || f.type === "histogram" || f.type === "summary")) return f;
    }
    throw new Error(`sample ${sample} of no declared family`);
  };
  if (!text.endsWith("\n")) throw new Error("the exposition must end with a line feed");
  for (const line of text.slice(0, -1).split("\n")) {
    if (line.startsWith("# HELP ")) {
      const [, name, help = ""] = /^# HELP (\S+) ?(.*)$/.exec(line) ?? [];
      if (!NAME.test(name)) throw new Error(`bad metric name in ${line}`);
      families.set(name, { name, type: "untyped", help, samples: [] });
    } else if (line.startsWith("# TYPE ")) {
      const [, name, type] = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line) ?? [];
      const f = families.get(name);
      if (!f || f.samples.length) throw new Error(`TYPE before HELP or after samples: ${line}`);
      f.type = type as ParsedFamily["type"];
    } else if (line.startsWith("#") || line === "") {
      continue;
    } else {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`bad sample line: ${line}`);
      familyOf(m[1]).samples.push({ name: m[1], labels: m[2] ? parseLabels(m[2]) : {}, value: parseValue(m[3]) });
    }
  }
  for (const f of families.values()) if (f.type === "histogram") checkHistogram(f);
  return families;
}

function checkHistogram(f: ParsedFamily): void {
  const series = new Map<string, ParsedSample[]>();
  for (const s of f.samples.filter((x) => x.name === `${f.name}_bucket`)) {
    const { le, ...rest } = s.labels;
    if (le === undefined) throw new Error(`${f.name}_bucket without le`);
    const key = JSON.stringify(rest);
    series.set(key, [...(series.get(key) ?? []), s]);
  }
  for (const [key, buckets] of series) {
    const sorted = [...buckets].sort((a, b) => parseValue(a.labels.le) - parseValue(b.labels.le));
    if (sorted.at(-1)?.labels.le !== "+Inf") throw new Error(`${f.name}${key} has no +Inf bucket`);
    sorted.forEach((b, i) => {
      if (i && b.value < sorted[i - 1].value) throw new Error(`${f.name}${key} buckets are not cumulative`);
    });
    const count = f.samples.find((s) => s.name === `${f.name}_count` && JSON.stringify(s.labels) === key);
    if (count?.value !== sorted.at(-1)!.value) throw new Error(`${f.name}${key}: _count differs from the +Inf bucket`);
  }
}

/** The samples of a family whose labels include `where`. */
export function samplesOf(families: Map<string, ParsedFamily>, sample: string, where: Record<string, string> = {}): ParsedSample[] {
  const all = [...families.values()].flatMap((f) => f.samples);
  return all.filter((s) => s.name === sample && Object.entries(where).every(([k, v]) => s.labels[k] === v));
}
