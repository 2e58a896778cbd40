import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Copies the package's Kubernetes manifests (deploy/kubernetes: base, components, overlays) into
 * the service, with the service's image filled in where the runtime's names `chronicle` (its own
 * sample image). The registry overlay keeps its example registry, now with the service's name.
 */
export const copyManifests = (runtimeRoot: string, serviceDir: string, name: string): void => {
  const target = join(serviceDir, 'deploy', 'kubernetes');
  cpSync(join(runtimeRoot, 'deploy', 'kubernetes'), target, { recursive: true });
  const files = readdirSync(target, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name === 'kustomization.yaml')
    .map((entry) => join(entry.parentPath, entry.name));
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const renamed = text.replace(/^(\s+newName: (?:.*\/)?)chronicle$/gm, `$1${name}`);
    // past the base the image is already the service's: an overlay's image entry names it so
    const inOverlay = !file.startsWith(join(target, 'base'));
    writeFileSync(
      file,
      inOverlay ? renamed.replace(/^(\s+- name: )chronicle(\n\s+newName:)/gm, `$1${name}$2`) : renamed,
    );
  }
};
