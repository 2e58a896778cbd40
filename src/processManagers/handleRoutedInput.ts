import type { Attributes } from '@opentelemetry/api';
import { withCorrelationBaggage } from '../logging/index.js';
import { attr, contextFrom, withSpan } from '../tracing/index.js';
import type { ProcessManager } from './defineProcessManager.js';
import { dispatchOutputs, type OutputPorts } from './dispatchOutputs.js';
import { handleProcessInput, type ProcessInstances } from './handleProcessInput.js';
import type { RoutedInput } from './processTypes.js';

export type ProcessRuntime = OutputPorts & { readonly instances: ProcessInstances };

/**
 * One input, end to end, in a consumer span `handle <process manager>` continuing the trace that
 * produced the input: record the decision (once), then send what it decided. Both the
 * subscription and the deadline worker come through here.
 */
export const handleRoutedInput = (
  runtime: ProcessRuntime,
  processManager: ProcessManager,
  routed: RoutedInput,
  attributes: Attributes = {},
): Promise<void> =>
  withSpan(
    'consumer',
    `handle ${processManager.name}`,
    {
      parent: contextFrom(routed.trace ?? {}),
      attributes: {
        ...attributes,
        [attr.processManager]: processManager.name,
        [attr.processKey]: routed.key,
        [attr.correlationId]: routed.correlationId,
        [attr.causationId]: routed.causationId ?? routed.inputId,
      },
    },
    () =>
      withCorrelationBaggage(routed.correlationId, async () => {
        const outputs = await handleProcessInput(runtime.instances, processManager, routed);
        await dispatchOutputs(runtime, processManager, routed, outputs);
      }),
  );
