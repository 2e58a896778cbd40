export type { PrometheusText } from './prometheusMetrics.js';
export { type ChronicleServiceName, chronicleServiceNames } from './serviceName.js';
export { startTelemetry, type Telemetry, type TelemetryOptions } from './startTelemetry.js';
export { startTestTelemetry, type TestTelemetry } from './startTestTelemetry.js';
