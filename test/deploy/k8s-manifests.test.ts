/**
 * deploy/k8s, checked offline: every manifest against the Kubernetes OpenAPI schemas that
 * kubernetes-models ships (compiled validators), and the parts against each other: Services
 * select their Deployments, the driver Job's --servers name those Services and ports, and
 * every container's arguments are ones the CLI accepts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseRunOptions } from '../../cli/run.js';
import { parseServeOptions } from '../../cli/serve.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const k8sDir = join(root, 'deploy/k8s');

interface Manifest {
  readonly file: string;
  readonly doc: { apiVersion: string; kind: string; metadata: { name: string } } & Record<string, unknown>;
}

/** Validates against the schema of its kind; throws with the schema's complaint. */
const validators: Record<string, (doc: never) => { validate(): void }> = {
  'apps/v1 Deployment': (doc) => new Deployment(doc),
  'batch/v1 Job': (doc) => new Job(doc),
  'v1 Service': (doc) => new Service(doc),
  'v1 PersistentVolumeClaim': (doc) => new PersistentVolumeClaim(doc),
};

function validate(manifest: Manifest): void {
  const make = validators[`${manifest.doc.apiVersion} ${manifest.doc.kind}`];
  if (!make)
    throw new Error(`${manifest.file}: no schema here for ${manifest.doc.apiVersion} ${manifest.doc.kind}`);
  make(manifest.doc as never).validate();
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? yamlFiles(join(dir, entry.name))
      : entry.name.endsWith('.yaml')
        ? [join(dir, entry.name)]
        : [],
  );
}

const manifests: Manifest[] = yamlFiles(k8sDir).flatMap((path) =>
  parseAllDocuments(readFileSync(path, 'utf8')).map((document) => {
    expect(document.errors, path).toEqual([]);
    return { file: relative(root, path), doc: document.toJS() as Manifest['doc'] };
  }),
);
const byKind = (kind: string) => manifests.filter((m) => m.doc.kind === kind).map((m) => m.doc as never);

type Container = { args: string[]; ports?: { name: string; containerPort: number }[] };
type PodSpec = { containers: Container[] };

describe('deploy/k8s', () => {
  it('validates every manifest against the Kubernetes schemas', () => {
    expect(manifests.map((m) => m.doc.kind).sort()).toEqual([
      ...Array(4).fill('Deployment'),
      'Job',
      'Job',
      'PersistentVolumeClaim',
      ...Array(4).fill('Service'),
    ]);
    for (const manifest of manifests) expect(() => validate(manifest), manifest.file).not.toThrow();
  });

  it('would reject a manifest the API server rejects', () => {
    const job = manifests.find((m) => m.doc.kind === 'Job')!;
    const wrongType = structuredClone(job);
    (wrongType.doc.spec as { completions: unknown }).completions = 'four';
    expect(() => validate(wrongType)).toThrow(/completions/);
    const noContainers = structuredClone(job);
    delete (noContainers.doc.spec as { template: { spec: Partial<PodSpec> } }).template.spec.containers;
    expect(() => validate(noContainers)).toThrow(/containers/);
  });

  it('runs N drivers at once against the Services, each writing its own folder', () => {
    const [driver, merge] = (
      byKind('Job') as {
        metadata: { name: string };
        spec: Record<string, unknown> & { template: { spec: PodSpec } };
      }[]
    ).sort((a) => (a.metadata.name === 'bench-driver' ? -1 : 1));
    expect(driver!.spec).toMatchObject({ completionMode: 'Indexed', backoffLimit: 0 });
    const completions = driver!.spec.completions as number;
    expect(driver!.spec.parallelism).toBe(completions);
    const driverArgs = driver!.spec.template.spec.containers[0]!.args;
    expect(driverArgs[0]).toBe('run');
    const { values, servers } = parseRunOptions(driverArgs.slice(1));
    expect(values.out).toBe('/results/worker-$(WORKER_INDEX)');
    // The merge Job reads one folder per completion index.
    const mergeArgs = merge!.spec.template.spec.containers[0]!.args;
    expect(mergeArgs[0]).toBe('merge');
    expect(mergeArgs.slice(1, -2)).toEqual(
      Array.from({ length: completions }, (_, i) => `/results/worker-${i}`),
    );

    const deployments = byKind('Deployment') as {
      metadata: { name: string };
      spec: {
        selector: { matchLabels: Record<string, string> };
        template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
      };
    }[];
    const services = byKind('Service') as {
      metadata: { name: string };
      spec: { selector: Record<string, string>; ports: { name: string; port: number; targetPort: string }[] };
    }[];
    for (const { protocol, address } of servers!) {
      const service = services.find((s) => s.metadata.name === address.host);
      expect(service, address.host).toBeDefined();
      const port = service!.spec.ports.find((p) => p.port === address.port);
      expect(port, `${address.host}:${address.port}`).toBeDefined();
      // The Service selects one Deployment whose server serves that protocol on that port.
      const deployment = deployments.find((d) =>
        Object.entries(service!.spec.selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v),
      );
      expect(deployment, `${address.host} selects a Deployment`).toBeDefined();
      const container = deployment!.spec.template.spec.containers[0]!;
      const serve = parseServeOptions(container.args.slice(1));
      expect(container.args[0]).toBe('serve');
      expect(serve.settings.host).toBe('0.0.0.0');
      expect(serve.settings.protocols).toContain(protocol);
      const containerPort = container.ports!.find((p) => p.name === port!.targetPort)!;
      expect(containerPort.containerPort).toBe(serve.settings.ports[protocol]);
      expect(serve.settings.ports[protocol]).toBe(address.port);
    }
    // A Deployment's selector must match its own pods (the API server rejects it otherwise).
    for (const deployment of deployments)
      expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
  });
});
