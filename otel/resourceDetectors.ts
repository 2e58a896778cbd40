import {
  type DetectedResource,
  envDetector,
  hostDetector,
  processDetector,
  type ResourceDetector,
} from '@opentelemetry/resources';

/**
 * Process attributes that do not leave the process: the command line may carry secrets and the
 * owner names a system account, yet every metrics scrape and every exported span would show them
 * (Prometheus puts resource attributes on `target_info`).
 */
export const withheldProcessAttributes = [
  'process.command_args',
  'process.command_line',
  'process.command',
  'process.owner',
  'process.executable.path',
] as const;

/** The SDK's process detector, less the attributes above (pid, runtime name and version stay). */
export const processDetectorWithoutSecrets: ResourceDetector = {
  detect: (config): DetectedResource => {
    const { attributes = {} } = processDetector.detect(config);
    const withheld: readonly string[] = withheldProcessAttributes;
    return {
      attributes: Object.fromEntries(Object.entries(attributes).filter(([name]) => !withheld.includes(name))),
    };
  },
};

/**
 * The SDK's default detectors (env, process, host) with the process one filtered; an operator's
 * OTEL_NODE_RESOURCE_DETECTORS still decides when set.
 */
export const resourceDetectors = (): ResourceDetector[] | undefined =>
  process.env.OTEL_NODE_RESOURCE_DETECTORS
    ? undefined
    : [envDetector, processDetectorWithoutSecrets, hostDetector];
