/**
 * The starter files `berth init` writes into a user's repository: a commented platform.yaml (one service,
 * the given environments) that validates as written, and berth's lines for .gitignore.
 */
import { DEFAULT_REPLICAS } from '../declaration/defaults.js';
import { loadPlatformText } from '../declaration/load.js';

export interface StarterOptions {
  /** Service name (a DNS label). @default 'web' */
  readonly name?: string;
  /** Container image with a pinned tag. @default `registry.example.com/<name>:1.0.0` */
  readonly image?: string;
  /** Public host name of the service in the first environment. @default `<name>.example.com` */
  readonly host?: string;
  /** Environment names; the first is production-like, the others get `<env>.<host>`. @default ['production'] */
  readonly environments?: readonly string[];
  /** Port the container listens on. @default 8080 */
  readonly port?: number;
}

/** Where editors find the schema once berth is installed (yaml-language-server resolves it relative to the file). */
export const SCHEMA_COMMENT = '# yaml-language-server: $schema=./node_modules/berth/schema/platform.schema.json';

/** The starter platform.yaml; throws DeclarationError (exit 2) when the options make it invalid. */
export function starterPlatform(options: StarterOptions = {}): string {
  const name = options.name ?? 'web';
  const image = options.image ?? `registry.example.com/${name}:1.0.0`;
  const host = options.host ?? `${name}.example.com`;
  const [first = 'production', ...others] = options.environments ?? ['production'];
  const env = (e: string) => `  ${e}:\n    namespace: ${e}\n`;
  const override = (e: string) => `    services:\n      ${name}: { host: ${e}.${host}, replicas: 1 }   # a smaller copy per environment\n`;
  const text = `${SCHEMA_COMMENT}
# berth platform declaration: every web service once, every environment once.
# Check it:   npx berth validate          Render it:  npx berth synth   (writes dist/<environment>/)
# Deploy it:  npx berth deploy --env ${first} --kubeconfig ~/.kube/config
# Every field and its default: node_modules/berth/README.md ("Declaring a service").
environments:
  # One namespace and one load balancer (Ingress) per environment.
${env(first)}${others.map((e) => `${env(e)}${override(e)}`).join('')}
services:
  - name: ${name}
    # pin a tag or digest (:latest is refused)
    image: ${image}
    # the port your container listens on
    port: ${options.port ?? 8080}
    # public host name, routed by the environment's Ingress
    host: ${host}
    # readiness: traffic only reaches pods that answer 200 here
    health: /healthz
    # required; the limit equals this request unless memoryLimit is given
    memory: 512Mi
    # a request only: no CPU limit by default (throttling hurts latency)
    cpu: 250m
    replicas: ${DEFAULT_REPLICAS}
`;
  loadPlatformText(text, 'platform.yaml (berth init)');
  return text;
}

/** berth's lines for .gitignore: only scratch of an interrupted synth; dist/ itself is meant to be committed and reviewed. */
export const GITIGNORE_BLOCK = `# berth: scratch left by an interrupted synth (dist/ itself is committed: review rendered changes in pull requests)
.*.berth-new-*
.*.berth-old-*
.*.berth-tmp
`;

/** The .gitignore content with berth's block added once (undefined when it is there already). */
export function withGitignoreBlock(existing: string | undefined): string | undefined {
  if (existing?.includes(GITIGNORE_BLOCK.split('\n')[1])) return undefined;
  if (existing === undefined || existing === '') return GITIGNORE_BLOCK;
  return `${existing}${existing.endsWith('\n') ? '' : '\n'}\n${GITIGNORE_BLOCK}`;
}
