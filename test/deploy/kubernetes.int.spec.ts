import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { processManagers } from '../../actors/index.js';
import { projections } from '../../actors/projections/index.js';
import { defaultNatsConfig, grpcSettingsFromEnv } from '../../src/config/index.js';
import { metricName } from '../../src/metrics/index.js';
import { POD_STOP_GRACE_MS } from '../../src/pods/index.js';
import { validatePodEnvironment } from '../support/podEnvironment.js';
import { repoRoot } from '../support/processes.js';

// biome-ignore lint/suspicious/noExplicitAny: rendered YAML, checked field by field below
type K8sObject = { apiVersion: string; kind: string; metadata: { name: string }; spec?: any; data?: any };

const kubernetes = `${repoRoot}deploy/kubernetes`;
// components and `labels` need the kustomize of kubectl 1.21 or later (v4); Debian 12's
// kubernetes-client (1.20) is older, and .ci/run installs it only when there is no kubectl at all
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const kustomizeMajor = Number(/Kustomize Version: v(\d+)/.exec(kubectl.stdout ?? '')?.[1] ?? 0);
const kubectlMissing =
  kubectl.status !== 0
    ? 'kubectl is not installed (.ci/run installs it when Debian has it): nothing to render'
    : kustomizeMajor < 4
      ? `kubectl's kustomize is too old for deploy/kubernetes (v4 or later needed): ${kubectl.stdout.trim()}`
      : undefined;
if (kubectlMissing) console.warn(`test/deploy/kubernetes.int.spec.ts skipped: ${kubectlMissing}`);

/** `kubectl kustomize <dir>`, parsed (once per directory). */
const renders = new Map<string, K8sObject[]>();
const render = (dir: string): K8sObject[] => {
  const done = renders.get(dir);
  if (done) return done;
  const rendered = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  if (rendered.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${rendered.stderr}`);
  const objects = parseAllDocuments(rendered.stdout).map((document) => document.toJS() as K8sObject);
  renders.set(dir, objects);
  return objects;
};

// Each component on the base, in a kustomization of its own (outside the tree, as a user's is;
// kustomize takes relative paths only).
const scratch = mkdtempSync(join(tmpdir(), 'chronicle-kustomize-'));
const withComponent = (component: string): string => {
  const dir = join(scratch, component);
  spawnSync('mkdir', ['-p', dir]);
  writeFileSync(
    join(dir, 'kustomization.yaml'),
    `resources: [${relative(dir, `${kubernetes}/base`)}]\ncomponents: [${relative(dir, `${kubernetes}/components/${component}`)}]\n`,
  );
  return dir;
};
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
afterEach(() => {
  vi.unstubAllEnvs();
});

const targets: ReadonlyArray<readonly [string, () => string]> = [
  ['base', () => `${kubernetes}/base`],
  ['overlays/local', () => `${kubernetes}/overlays/local`],
  ['overlays/redis-cluster', () => `${kubernetes}/overlays/redis-cluster`],
  ...['ingress', 'autoscale-keda', 'autoscale-cpu', 'autoscale-subscriptions'].map(
    (component) => [`base + components/${component}`, () => withComponent(component)] as const,
  ),
];

/** The kubernetes-models class of a built-in kind (`apps/v1` Deployment: `apps/v1/Deployment`). */
const modelOf = async (object: K8sObject) => {
  const module = await import(/* @vite-ignore */ `kubernetes-models/${object.apiVersion}/${object.kind}`);
  return module[object.kind] as new (
    data: unknown,
  ) => { validate(): void };
};

/** Values of the shape a real Secret holds, for the variables the manifests take from Secrets. */
const secretSamples: Readonly<Record<string, string>> = {
  DATABASE_URL: 'postgres://chronicle:s3cret@postgres.example:5432/chronicle',
  REDIS_URL: 'redis://:s3cret@redis.example:6379',
  CHRONICLE_API_KEYS: JSON.stringify([{ key: 'operator-key-0123456789', name: 'ops', roles: ['admin'] }]),
  CHRONICLE_JWT_SECRET: 'a-jwt-secret-of-at-least-thirty-two-bytes',
  CHRONICLE_KEK: 'k1:Y2hhbmdlLW1lLTMyLWJ5dGVzLWtleS0wMDAwMDAwMDA=',
};

const podTemplates = (objects: readonly K8sObject[]) =>
  objects
    .filter((object) => object.kind === 'Deployment' || object.kind === 'Job')
    .map((object) => ({ object, pod: object.spec.template.spec }))
    .filter(({ pod }) =>
      pod.containers.some((container: { name: string }) => container.name === 'chronicle'),
    );

/** The environment a Chronicle container starts with: its ConfigMap, then its own env, secrets as samples. */
type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef?: unknown } };
type Container = { envFrom?: { configMapRef?: { name: string } }[]; env?: EnvVar[] };

const containerEnv = (objects: readonly K8sObject[], container: Container): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const map = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === from.configMapRef?.name);
    if (!map) throw new Error(`envFrom names a ConfigMap the render lacks: ${JSON.stringify(from)}`);
    Object.assign(env, map.data);
  }
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.secretKeyRef) {
      const sample = secretSamples[variable.name];
      if (sample === undefined) throw new Error(`no sample for the secret variable ${variable.name}`);
      env[variable.name] = sample;
    } else throw new Error(`${variable.name} comes from neither a value nor a Secret`);
  }
  return env;
};

const podKind = (container: { args: string[] }): string => {
  const [verb, kind] = container.args;
  return verb === 'worker' ? (kind as string) : (verb as string);
};

/** The largest partition count a pod kind's subscriptions have: pods past it hold no lease. */
const partitionCap: Readonly<Record<string, number>> = {
  projection: Math.max(...projections.map((projection) => projection.partitions)),
  'process-manager': Math.max(...processManagers.map((manager) => manager.partitions)),
  nats: defaultNatsConfig.partitions,
  // src/snapshots/snapshotSubscription.ts
  snapshot: 2,
};

describe.skipIf(kubectlMissing !== undefined)('deploy/kubernetes', () => {
  describe.each(targets)('%s', (_name, dir) => {
    let objects: K8sObject[] = [];
    beforeAll(() => {
      objects = render(dir());
    });

    it('renders, and every built-in object validates against the Kubernetes schema', async () => {
      expect(objects.length).toBeGreaterThan(0);
      for (const object of objects) {
        if (object.apiVersion === 'keda.sh/v1alpha1') continue; // a CRD: checked below
        const Model = await modelOf(object);
        expect(() => new Model(object).validate(), `${object.kind}/${object.metadata.name}`).not.toThrow();
      }
    });

    it('writes no secret value: Secrets are referenced, or hold addresses without a password', () => {
      for (const secret of objects.filter((object) => object.kind === 'Secret')) {
        for (const value of Object.values(secret.data ?? {}) as string[]) {
          const text = Buffer.from(value, 'base64').toString();
          expect(new URL(text).password, `${secret.metadata.name}`).toBe('');
        }
      }
    });

    it('gives every Chronicle pod an environment its own loaders accept', () => {
      for (const { object, pod } of podTemplates(objects)) {
        const container = pod.containers.find((c: { name: string }) => c.name === 'chronicle');
        const kind = podKind(container);
        expect(
          () => validatePodEnvironment(kind, containerEnv(objects, container)),
          `${object.kind}/${object.metadata.name}`,
        ).not.toThrow();
      }
    });

    it('probes /healthz and /readyz on the port the pod listens on (api: PORT, others: METRICS_PORT)', () => {
      for (const { object, pod } of podTemplates(objects).filter(
        ({ object }) => object.kind === 'Deployment',
      )) {
        const container = pod.containers.find((c: { name: string }) => c.name === 'chronicle');
        const env = containerEnv(objects, container);
        const portName = podKind(container) === 'api' ? 'http' : 'metrics';
        const port = container.ports.find((p: { name: string }) => p.name === portName);
        expect(String(port?.containerPort), object.metadata.name).toBe(
          portName === 'http' ? env.PORT : env.METRICS_PORT,
        );
        expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: portName });
        expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: portName });
      }
    });

    it('serves the api on PORT and gRPC on GRPC_PORT: its container ports, Service and ingress policy agree', () => {
      const api = podTemplates(objects).find(({ object }) => object.metadata.name === 'chronicle-api');
      const container = api?.pod.containers.find((c: { name: string }) => c.name === 'chronicle');
      const env = containerEnv(objects, container);
      const grpc = grpcSettingsFromEnv(env);
      if (grpc.status !== 'on') throw new Error('the api serves no gRPC: GRPC_PORT is unset');
      const ports = Object.fromEntries(
        container.ports.map((p: { name: string; containerPort: number }) => [p.name, p.containerPort]),
      );
      expect(ports).toEqual({ http: Number(env.PORT), grpc: grpc.port });
      const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'chronicle-api');
      const targets = service?.spec.ports.map((p: { targetPort: string }) => p.targetPort);
      expect(targets.sort()).toEqual(['grpc', 'http']);
      const policy = objects.find(
        (o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'chronicle-api-ingress',
      );
      const admitted = policy?.spec.ingress.flatMap((rule: { ports: { port: number }[] }) =>
        rule.ports.map((p) => p.port),
      );
      expect(admitted.sort()).toEqual([grpc.port, Number(env.PORT)].sort());
    });

    it('runs every Chronicle pod as non-root on a read-only root, writing only to an emptyDir /tmp', () => {
      for (const { object, pod } of podTemplates(objects)) {
        expect(pod.securityContext.runAsNonRoot, object.metadata.name).toBe(true);
        const container = pod.containers.find((c: { name: string }) => c.name === 'chronicle');
        expect(container.securityContext).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        const tmp = container.volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/tmp');
        const volume = pod.volumes.find((v: { name: string }) => v.name === tmp?.name);
        expect(volume?.emptyDir, object.metadata.name).toBeDefined();
      }
    });

    it('gives every pod longer than its preStop and the drain the graceful-stop spec holds under POD_STOP_GRACE_MS', () => {
      for (const { object, pod } of podTemplates(objects).filter(
        ({ object }) => object.kind === 'Deployment',
      )) {
        const container = pod.containers.find((c: { name: string }) => c.name === 'chronicle');
        const preStopMs = (container.lifecycle?.preStop?.sleep?.seconds ?? 0) * 1000;
        expect(pod.terminationGracePeriodSeconds * 1000, object.metadata.name).toBeGreaterThan(
          preStopMs + POD_STOP_GRACE_MS,
        );
      }
    });

    it('keeps each subscription kind at or below its partition count, and shards well above command pods', () => {
      const scaled = objects.filter(
        (object) => object.kind === 'HorizontalPodAutoscaler' || object.kind === 'ScaledObject',
      );
      const maxOf = (name: string) => {
        const found = scaled.find((object) => object.spec.scaleTargetRef.name === name);
        const deployment = objects.find(
          (object) => object.kind === 'Deployment' && object.metadata.name === name,
        );
        return found?.spec.maxReplicas ?? found?.spec.maxReplicaCount ?? deployment?.spec.replicas ?? 1;
      };
      for (const [kind, cap] of Object.entries(partitionCap))
        expect(maxOf(`chronicle-${kind}`), kind).toBeLessThanOrEqual(cap);
      const config = objects.find(
        (object) => object.kind === 'ConfigMap' && object.metadata.name.startsWith('chronicle-config'),
      );
      expect(Number(config?.data.CHRONICLE_SHARDS)).toBeGreaterThanOrEqual(4 * maxOf('chronicle-command'));
      // an autoscaled Deployment leaves its count to the autoscaler: an apply must not reset it
      for (const autoscaler of scaled) {
        const target = objects.find(
          (object) =>
            object.kind === 'Deployment' && object.metadata.name === autoscaler.spec.scaleTargetRef.name,
        );
        expect(target?.spec.replicas, autoscaler.metadata.name).toBeUndefined();
      }
    });

    it('scales command pods on the gauges the command pods serve (KEDA)', () => {
      for (const scaledObject of objects.filter((object) => object.kind === 'ScaledObject')) {
        expect(scaledObject.apiVersion).toBe('keda.sh/v1alpha1');
        expect(scaledObject.spec.scaleTargetRef.name).toBe('chronicle-command');
        const queries = scaledObject.spec.triggers.map(
          (trigger: { type: string; metadata: { query: string } }) =>
            `${trigger.type} ${trigger.metadata.query}`,
        );
        const served = [metricName.commandsWaiting, metricName.oldestWaitingCommandAge].map((name) =>
          name.replaceAll('.', '_'),
        );
        expect(queries).toEqual(served.map((name) => `prometheus max(${name})`));
      }
    });
  });

  it('renders a Deployment for every pod kind, the migrate Job and the api Service', () => {
    const objects = render(`${kubernetes}/base`);
    const kinds = podTemplates(objects).map(({ pod }) => podKind(pod.containers[0]));
    expect(kinds.sort()).toEqual([
      'api',
      'command',
      'migrate',
      'nats',
      'process-manager',
      'projection',
      'snapshot',
    ]);
    expect(
      objects.some((object) => object.kind === 'Service' && object.metadata.name === 'chronicle-api'),
    ).toBe(true);
  });

  it('would have caught an object the schema refuses (the check can fail)', async () => {
    const command = render(`${kubernetes}/base`).find(
      (object) => object.metadata.name === 'chronicle-command',
    );
    const Model = await modelOf(command as K8sObject);
    const broken = structuredClone(command as K8sObject);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'metrics';
    expect(() => new Model(broken).validate()).toThrow(/containerPort/);
  });

  it('would have caught an environment a pod refuses (the check can fail)', () => {
    const objects = render(`${kubernetes}/base`);
    const command = podTemplates(objects).find(({ object }) => object.metadata.name === 'chronicle-command');
    const env = containerEnv(objects, command?.pod.containers[0]);
    expect(() => validatePodEnvironment('command', { ...env, CHRONICLE_SHARDS: 'many' })).toThrow(
      /CHRONICLE_SHARDS/,
    );
  });
});
