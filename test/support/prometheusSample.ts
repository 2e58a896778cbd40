/** The value of the Prometheus sample line `name{labels} value` whose labels include every given one. */
export const sample = (
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined => {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text
    .split('\n')
    .find(
      (l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && wanted.every((w) => l.includes(w)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};
