/** One sample of a Prometheus text exposition. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
// Values are Go ParseFloat numbers, which takes NaN and Inf in any case (prom-client writes "Nan").
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*,?)?\\})? ([+-]?(?:[0-9.]+(?:e[+-]?[0-9]+)?|[nN][aA][nN]|[iI][nN][fF]))(?: -?[0-9]+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) .*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);

/**
 * Parses the Prometheus text format (version 0.0.4) strictly: every line must be a HELP,
 * TYPE or sample line, each sample must belong to a declared family, and no family may be
 * declared twice. Throws naming the first bad line.
 */
export function parsePrometheus(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const lines = text.split('\n');
  if (lines.at(-1) !== '') throw new Error('the exposition must end with a newline');
  for (const [i, line] of lines.slice(0, -1).entries()) {
    if (line === '') continue;
    const type = TYPE.exec(line);
    if (type !== null) {
      if (types.has(type[1]!)) throw new Error(`line ${i + 1}: ${type[1]} declared twice`);
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (HELP.test(line)) continue;
    const sample = SAMPLE.exec(line);
    if (sample === null) throw new Error(`line ${i + 1} is not Prometheus text: ${JSON.stringify(line)}`);
    const name = sample[1]!;
    const family = [...types.keys()].find((f) => name === f || (/_(bucket|sum|count|total|created)$/.test(name) && name.replace(/_(bucket|sum|count|total|created)$/, '') === f.replace(/_total$/, '')));
    if (family === undefined) throw new Error(`line ${i + 1}: sample ${name} has no # TYPE`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    const raw = sample[3]!.toLowerCase();
    samples.push({ name, labels, value: raw.endsWith('inf') ? (raw.startsWith('-') ? -Infinity : Infinity) : raw === 'nan' ? NaN : Number(raw) });
  }
  return { samples, types };
}

/** The value of one sample, or undefined. */
export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}
