import { wantsColors } from 'chronicle-runtime';

export type DevBanner = {
  readonly pods: readonly string[];
  /** Where the nats pod publishes and listens, when it runs. */
  readonly nats?: { readonly url: string; readonly stream: string; readonly subjectPrefix: string };
  readonly port: number | undefined;
  readonly key: string;
  readonly traffic: number;
  /** What the traffic plays, from the config's dev settings. */
  readonly trafficSummary?: string;
};

/** The api's address as a person types it: HOST (127.0.0.1 in dev) and the port it listens on. */
export const devBaseUrl = (port: number): string => `http://${process.env.HOST ?? '127.0.0.1'}:${port}`;

/** Where to look, printed once everything runs: the UI (with the key in its fragment), the key, the API. */
export const printDevBanner = (banner: DevBanner, out: NodeJS.WriteStream = process.stdout): void => {
  const bold = (text: string) => (wantsColors(out) ? `\u001b[1m${text}\u001b[0m` : text);
  const base =
    banner.port === undefined ? undefined : `http://${process.env.HOST ?? '127.0.0.1'}:${banner.port}`;
  const lines = [
    '',
    bold(`chronicle dev: ${banner.pods.join(', ')} running in this process`),
    ...(base
      ? [
          `  UI        ${bold(`${base}/ui/#key=${banner.key}`)}`,
          `  API key   ${banner.key}   (header x-api-key; CHRONICLE_DEV_API_KEY keeps one across runs)`,
          `  API       ${base}/v1/openapi.json   health ${base}/healthz   metrics ${base}/metrics`,
        ]
      : []),
    ...(banner.nats
      ? [
          `  NATS      ${banner.nats.url}: events on ${banner.nats.subjectPrefix}.events.> (stream ${banner.nats.stream}), commands on ${banner.nats.subjectPrefix}.commands.<type>.<Command>`,
        ]
      : []),
    `  traces    ${process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'set OTEL_EXPORTER_OTLP_ENDPOINT (docker compose -f docker-compose.dev.yml up -d jaeger: http://127.0.0.1:4318) to export them'}`,
    `  traffic   ${banner.traffic > 0 ? `${banner.traffic} commands/s${banner.trafficSummary ? `: ${banner.trafficSummary}` : ''}` : "none (--traffic 20 plays the config's dev stories)"}`,
    '  Ctrl-C stops everything',
    '',
  ];
  out.write(`${lines.join('\n')}\n`);
};
