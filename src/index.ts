// biome-ignore-all assist/source/organizeImports: the front door is grouped by concept, not sorted
// Chronicle's front door: every public name, grouped by concept. A name that is not listed here is
// internal and free to change. To add one, put it in its group (or start a group with a line on
// what it is for); the specs import internals from their folders, never through this file.

// A deployment: the domain a project's chronicle.config.ts gives the CLI and every pod kind
export {
  type Chronicle,
  type ChronicleDefinition,
  type DevSettings,
  type DevStory,
  type DevStoryStep,
  type DevStoryTeller,
  defineChronicle,
  type MigrationsFolder,
} from './deployment/defineChronicle.js';
export { CONFIG_FILE_NAMES, type ConfigLookup } from './deployment/findConfigFile.js';
export { type LoadedDeployment, loadDeployment } from './deployment/loadDeployment.js';

// Aggregates: a decider over an XState machine (machine = evolve, commands = decide)
export {
  AGGREGATE_TYPE_PATTERN,
  type Aggregate,
  type AggregateDefinition,
  type AggregateEventSchemas,
  type AggregateState,
  type CommandDefinition,
  type CommandDefinitions,
  type CommandInputs,
  type CommandInputsOf,
  defineAggregate,
} from './aggregate/defineAggregate.js';
export { commandFor } from './aggregate/commandFor.js';
export {
  type AggregateResource,
  aggregateResource,
  type ResourceOptions,
} from './aggregate/aggregateResource.js';
export { type AggregateRegistry, createAggregateRegistry } from './aggregate/aggregateRegistry.js';
export { AggregateInstance, type PersistedAggregateState } from './aggregate/aggregateInstance.js';
export { machineHash } from './aggregate/machineHash.js';
export { CommandRejection, isCommandRejection, reject } from './errors/commandRejection.js';

// Event schema evolution: versions and old names of event types, read in their current shape
export {
  EventSchemaError,
  type EventSchemaProblem,
  notYetReadable,
} from './eventSchemas/eventSchemaError.js';
export {
  createEventSchemas,
  currentSchemaVersion,
  type EventSchemaMap,
  type EventSchemas,
  noEventSchemas,
  upcastEvent,
} from './eventSchemas/eventSchemas.js';
export {
  type EventChain,
  type EventVersions,
  eventVersions,
  type Upcaster,
} from './eventSchemas/eventVersions.js';

// Personal data: fields encrypted per subject (`eventVersions().personal`), forgotten on request
export type { PersonalData, PersonalDataOf } from './eventSchemas/personalData.js';
export {
  type ForgetOutcome,
  type ForgetRequest,
  type Forgetting,
  forgetSubject,
} from './eventStore/postgres/forgetSubject.js';
export { rewrapDataKeys } from './eventStore/postgres/rewrapDataKeys.js';
export { createKeyring, deploymentKeyring, type Keyring } from './personalData/keyring.js';
export {
  type KeyEncryptionKey,
  type KeyEncryptionKeys,
  keyEncryptionKeysFromEnv,
} from './config/keyEncryptionKeys.js';
export { requireMigratedDatabase } from './pods/requireMigratedDatabase.js';

// Messages: what a command, an event and an answer look like
export type {
  Command,
  CommandEnvelope,
  CommandMetadata,
  CommandRecord,
  CommandRequest,
  AnswerTo,
} from './messages/command.js';
export type { AcceptedResult, CommandResult, RejectedResult, Rejection } from './messages/commandResult.js';
export type { DomainEvent, EventMetadata, RecordedEvent } from './messages/event.js';
export { MAX_PAYLOAD_BYTES } from './messages/envelopeLimits.js';

// Sending commands (producers) and running them (command-worker pods)
export {
  type CommandClient,
  type CommandClientConnection,
  type CommandClientOptions,
  createCommandClient,
  type Enqueued,
} from './commands/commandClient.js';
export type { AggregatesOf, Domain, DomainRequest } from './commands/domainRequests.js';
export type { CommandStatus } from './commands/commandStatus.js';
export type { RedisNode } from './config/redisClusterNodes.js';
export { CommandWorker, type CommandWorkerOptions } from './commands/commandWorker.js';
export type { RetryPolicy } from './commands/retryInPlace.js';
export type { ActorHostOptions } from './actorHost/actorHost.js';

// Errors: each carries a stable code; check the code, not the class
export {
  ChronicleError,
  type ChronicleErrorCode,
  errorCodes,
  isChronicleError,
  type RejectionCode,
  rejectionCodes,
} from './errors/chronicleError.js';
export { ConcurrencyError } from './errors/concurrencyError.js';
export { TransientError } from './errors/transientError.js';
export { classifyFailure, type FailureClass, isTransientError } from './errors/classifyFailure.js';
export { type FailureReason, failureReason } from './errors/failureReason.js';

// The event store (PostgreSQL) and the positions a reader of the whole stream keeps
export type {
  AppendOutcome,
  AppendRequest,
  EventStore,
  ReadStreamOptions,
  StoredCommand,
  SnapshotWritten,
  StoredSnapshot,
  StreamRef,
} from './eventStore/eventStore.js';
export { commandFingerprint } from './messages/commandFingerprint.js';
export { createPostgresEventStore } from './eventStore/postgres/createPostgresEventStore.js';
export type { Checkpoint } from './eventStore/checkpoint.js';
export type { EventFilter } from './eventStore/eventFilter.js';
export type { PartitionFailure } from './eventStore/partitionFailure.js';

// Subscriptions: partitioned, leased, commit-safe consumers of the event stream
export {
  type BatchContext,
  EventHandlingError,
  type SubscriptionDefinition,
} from './subscriptions/subscriptionDefinition.js';
export { startSubscriptionWorker, type SubscriptionWorker } from './subscriptions/startSubscriptionWorker.js';

// Projections: read models written in the same transaction as their checkpoint
export {
  defineProjection,
  type Projection,
  type ProjectionDefinition,
  type ProjectionHandler,
  type RecordedOf,
} from './projections/defineProjection.js';
export {
  type ProjectionWorker,
  type ProjectionWorkerOptions,
  runProjectionWorker,
} from './projections/runProjectionWorker.js';
export { type PartitionStatus, projectionStatus } from './projections/projectionStatus.js';
export {
  type RebuildOptions,
  type RebuildResult,
  rebuildProjection,
} from './projections/rebuildProjection.js';
export { resetProjection } from './projections/resetProjection.js';
export { type RetryResult, retryProjection } from './projections/retryProjection.js';

// Process managers: event-sourced machines over events, command answers and deadlines, sending
// commands with deterministic ids (docs/process-managers.md)
export {
  type CorrelateEvent,
  defineProcessManager,
  type ProcessManager,
  type ProcessManagerDefinition,
} from './processManagers/defineProcessManager.js';
export { cancelDeadline, scheduleDeadline, sendCommand } from './processManagers/processActions.js';
export type {
  CommandRejectedData,
  ProcessCommandRequest,
  ProcessEmitted,
  ProcessInput,
  ProcessOutput,
} from './processManagers/processTypes.js';
export {
  type ProcessManagerWorker,
  type ProcessManagerWorkerOptions,
  runProcessManagerWorker,
} from './processManagers/runProcessManagerWorker.js';

// Snapshots: taken by policy from the event stream, plus a periodic sweep
export {
  runSnapshotWorker,
  type SnapshotWorker,
  type SnapshotWorkerOptions,
} from './snapshots/runSnapshotWorker.js';

// Queries: typed reads for the HTTP API and read-model routes
export {
  invalid,
  type QueryFailure,
  type QueryResult,
  queryNotFound,
  withQuery,
} from './queries/queryResult.js';
export { correlationStory, type StoryStep } from './queries/correlationStory.js';

// The HTTP API pod
export { type ApiServer, type ApiServerOptions, createApiServer } from './http/createApiServer.js';
export { type ApiKeyEntry, parseApiKeys } from './config/apiKeys.js';
export type { ReadModelRoute } from './http/readModelRoute.js';
export type { ProjectionQuery } from './projections/projectionQuery.js';

// gRPC beside the HTTP API, on the api pod's connections (docs/grpc.md)
export {
  createGrpcServer,
  type GrpcServer,
  type GrpcServerOptions,
} from './grpc/createGrpcServer.js';
export { type GrpcSettings, grpcSettingsFromEnv } from './config/grpcSettings.js';

// Brokers: es_events as a transactional outbox, commands in over a broker, idempotent consumers
export type { EventBroker, PublishAck } from './broker/eventBroker.js';
export {
  decodePublishedEvent,
  eventHeaders,
  type PublishedEvent,
  headerTraceContext,
} from './broker/eventMessage.js';
export {
  type OutboxSubscriptionOptions,
  outboxOutline,
  outboxSubscription,
} from './broker/outboxSubscription.js';
export {
  answerCommand,
  type CommandFailure,
  type CommandReply,
  type IncomingCommand,
} from './broker/commandGateway.js';
export {
  createIdempotentConsumer,
  type IdempotentConsumer,
  type InboxConnection,
  type InboxOutcome,
  type InboxPool,
  inboxTableSql,
} from './broker/idempotentConsumer.js';
export type { SubscriptionOutline } from './subscriptions/subscriptionDefinition.js';

// The NATS JetStream bridge: the nats pod's engine and its adapter
export { defaultNatsConfig, loadNatsConfig, type NatsConfig } from './config/natsConfig.js';
export { type NatsWorker, type NatsWorkerOptions, natsOutbox, runNatsWorker } from './nats/runNatsWorker.js';
export { createNatsEventBroker, type NatsEventBrokerOptions } from './nats/natsEventBroker.js';
export { commandHeaders } from './nats/natsCommandServer.js';
export { commandSubject, eventSubject } from './nats/natsSubjects.js';

// Pods: run until a signal, with health, readiness and metrics endpoints
export { runUntilSignal, type Stoppable } from './pods/runUntilSignal.js';
export {
  type MetricsHandler,
  type PodServer,
  type PodServerOptions,
  type ReadinessCheck,
  startPodServer,
} from './observability/podServer.js';
export { createDependencyChecks, type DependencyChecks } from './observability/dependencyChecks.js';
// warns once at start when Redis may lose queued commands (no AOF, an evicting policy)
export {
  checkRedisDurability,
  type RedisDurability,
  warnIfRedisNotDurable,
} from './observability/redisDurability.js';

// The cluster view: pods register themselves (es_pods, a heartbeat per lease third), and who
// works each shard queue and leases each partition, with its lag (`GET /v1/cluster`, `chronicle cluster`)
export { type PodHeartbeat, startPodHeartbeat } from './cluster/podHeartbeat.js';
export { type ClusterPartition, type ClusterView, readClusterView } from './cluster/readClusterView.js';
export {
  type ClusterSubscription,
  clusterSubscriptions,
  type SubscriptionKind,
} from './cluster/clusterSubscriptions.js';
export type { ShardWork } from './cluster/readShardWork.js';
export type { PodIdentity } from './eventStore/postgres/recordPodHeartbeat.js';
export type { StoredPod } from './eventStore/postgres/readPods.js';

// Services: PostgreSQL, Redis and NATS reachable before a pod or a verb starts
export { findUnreachable, requireServices, type ServiceUrls } from './services/requireServices.js';
export {
  type ServiceName,
  ServiceUnreachableError,
  serviceNames,
  type Unreachable,
  unreachableMessage,
} from './services/serviceUnreachable.js';

// Configuration: every environment variable is read in src/config (docs/operations.md lists them)
export {
  type ChronicleConfig,
  DEFAULT_SHARDS,
  defaultConfig,
  loadConfig,
  type ShardsSetting,
} from './config/chronicleConfig.js';
// a deployment's config file parses its domain's own settings as the pods parse theirs
export { intSetting } from './config/settingValues.js';
export { type ApiSettings, apiSettingsFromEnv, type AuthSettings } from './config/apiSettings.js';
export {
  defaultSubscriptionSettings,
  type SubscriptionSettings,
  subscriptionSettingsFromEnv,
} from './config/subscriptionSettings.js';
export {
  type LogFormat,
  type LogLevel,
  logFormatFromEnv,
  logLevelFromEnv,
  metricsPortFromEnv,
  wantsColors,
} from './config/podSettings.js';

// Database and migrations
export { createOrm, type Orm, type OrmOptions } from './db/createOrm.js';
export { type MigrationReport, migrate } from './db/migrate.js';
// a domain's read-model migrations extend it (a project depends on chronicle-runtime, not MikroORM)
export { Migration } from '@mikro-orm/migrations';

// Logging (pino, with trace and correlation ids)
export { createLogger, type Logger, type LoggerConfig } from './logging/createLogger.js';
export { createPrettyLogStream, formatLogLine } from './logging/prettyLogStream.js';
export { type LoggerPort, silentLogger } from './logging/loggerPort.js';

// Machines, drawn: the description and Mermaid text behind `chronicle viz` and the UI
export { describeMachine } from './machines/describeMachine.js';
export type { MachineDescription } from './machines/machineDescription.js';
export { toMermaid } from './machines/toMermaid.js';
