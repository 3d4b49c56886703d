import { listMitigations } from './catalogue.js';
import { allowed, categories, type Mitigation } from './mitigation.js';

/**
 * The documentation of every strategy, generated from the catalogue: docs/mitigations/<name>.md
 * and an index, docs/mitigations/README.md. `pnpm --filter @gradlab/mitigations run docs` writes
 * them; a test checks that the committed files equal what this renders.
 */

const HEADER =
  '<!-- Generated from packages/mitigations/src by `pnpm --filter @gradlab/mitigations run docs`: do not edit. -->';

const ADDRESSES = {
  vanishing: 'vanishing gradients',
  exploding: 'exploding gradients',
  both: 'vanishing and exploding gradients',
  neither: 'neither vanishing nor exploding gradients (a baseline to compare against)',
} as const;

/** Signatures of the standalone functions, as the docs show them. */
const SIGNATURES: Readonly<Record<string, string>> = {
  clipGradsByValue: 'clipGradsByValue(grads: tf.NamedTensorMap, limit: number): tf.NamedTensorMap',
  clipGradsByNorm: 'clipGradsByNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap',
  clipGradsByGlobalNorm:
    'clipGradsByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): { grads: tf.NamedTensorMap; norm: tf.Scalar }',
  clipGradsByGlobalNormChecked:
    'clipGradsByGlobalNormChecked(grads: tf.NamedTensorMap, maxNorm: number, options?: { errorIfNonFinite?: boolean }): Promise<{ grads: tf.NamedTensorMap; norm: number }>',
  createLrScheduler:
    'createLrScheduler(optimizer: tf.Optimizer, schedule: ScheduleInput, options?: { lr?: number; totalSteps?: number }): LrScheduler',
  weightPenalty: 'weightPenalty(weights: readonly tf.Tensor[], l1: number, l2: number): tf.Scalar',
  clipWeights: 'clipWeights(variables: readonly tf.Variable[], limit: number): void',
};

/** How each strategy with a standalone counterpart looks in your own loop. */
const SNIPPETS: Readonly<Record<string, string>> = {
  'clip-value': `const { value: loss, grads } = tf.variableGrads(lossFn);
const clipped = clipGradsByValue(grads, 1);
optimizer.applyGradients(clipped);
tf.dispose([loss, ...Object.values(grads), ...Object.values(clipped)]);`,
  'clip-norm': `const { value: loss, grads } = tf.variableGrads(lossFn);
const clipped = clipGradsByNorm(grads, 1);
optimizer.applyGradients(clipped);
tf.dispose([loss, ...Object.values(grads), ...Object.values(clipped)]);`,
  'clip-global-norm': `const { value: loss, grads } = tf.variableGrads(lossFn);
// Or: const { grads: clipped, norm } = await clipGradsByGlobalNormChecked(grads, 1); (norm: number, throws on NaN/Inf)
const { grads: clipped, norm } = clipGradsByGlobalNorm(grads, 1);
optimizer.applyGradients(clipped);
tf.dispose([loss, norm, ...Object.values(grads), ...Object.values(clipped)]);`,
  'step-decay': `const scheduler = createLrScheduler(optimizer, { kind: 'step', every: 100, factor: 0.1 }, { lr: 0.1 });
// after each update:
scheduler.step();`,
  'exp-decay': `const scheduler = createLrScheduler(optimizer, { kind: 'exponential', rate: 0.99 }, { lr: 0.1 });
// after each update:
scheduler.step();`,
  warmup: `const scheduler = createLrScheduler(optimizer, { kind: 'constant', warmupSteps: 10 }, { lr: 0.1 });
// after each update:
scheduler.step();`,
  cosine: `const scheduler = createLrScheduler(optimizer, { kind: 'cosine', minLr: 0 }, { lr: 0.1, totalSteps: 1000 });
// after each update:
scheduler.step();`,
  l1: `const { value, grads } = tf.variableGrads(() =>
  tf.add(dataLoss(), weightPenalty(kernels, 1e-4, 0)) as tf.Scalar,
);`,
  l2: `const { value, grads } = tf.variableGrads(() =>
  tf.add(dataLoss(), weightPenalty(kernels, 0, 1e-4)) as tf.Scalar,
);`,
  'weight-clip': `optimizer.applyGradients(grads);
clipWeights(trainableVariables, 0.01); // after every update`,
};

const cell = (s: string) => s.replace(/\|/g, '\\|');

function renderOne(m: Mitigation): string {
  const lines: string[] = [
    HEADER,
    '',
    `# \`${m.name}\`: ${m.title}`,
    '',
    `**Category:** ${m.category} · **Addresses:** ${ADDRESSES[m.addresses]} · **Applies to:** ${m.appliesTo}`,
    '',
    '## The problem',
    '',
    m.problem,
    '',
    '## How it works',
    '',
    m.how,
    '',
    '## When it does not help',
    '',
    m.whenItDoesNotHelp,
    '',
    '## Use it',
    '',
    `Token: \`${m.usage}\` (join tokens with \`+\`). It sets \`${m.sets}\`.`,
    '',
  ];
  if (m.params.length > 0) {
    lines.push('| argument | allowed | default | meaning |', '|---|---|---|---|');
    for (const p of m.params) {
      lines.push(
        `| \`${p.name}\` | ${cell(allowed(p))} | ${p.default === undefined ? 'required' : p.default} | ${cell(p.description)} |`,
      );
    }
    lines.push('');
  }
  lines.push(
    'From the command line, against the same run without it:',
    '',
    '```sh',
    `gradlab compare <preset | spec.json> --with ${m.example}`,
    '```',
    '',
    'From TypeScript, as a spec transform:',
    '',
    '```ts',
    "import { applyMitigations } from '@gradlab/mitigations';",
    '',
    `const mitigated = applyMitigations(spec, '${m.example}'); // named \`\${spec.name}+${m.example}\``,
    '```',
    '',
    '### In your own tfjs training loop',
    '',
  );
  if (m.standalone.length > 0) {
    lines.push(
      `With ${m.standalone.map((f) => `\`${f}\``).join(' or ')} from \`@gradlab/mitigations\`:`,
      '',
      '```ts',
      ...m.standalone.map((f) => `// ${SIGNATURES[f] ?? f}`),
      SNIPPETS[m.name] ?? '',
      '```',
      '',
    );
  } else {
    lines.push('There is no standalone function: it is a choice of model or optimiser.', '');
  }
  if (m.tfjs) lines.push(`In a tfjs-layers model: \`${m.tfjs}\`.`, '');
  lines.push('## Reference', '', m.citation, '', '[All mitigations](README.md)', '');
  return lines.join('\n');
}

function renderIndex(all: readonly Mitigation[]): string {
  const lines: string[] = [
    HEADER,
    '',
    '# Mitigations of vanishing and exploding gradients',
    '',
    'Every strategy that `@gradlab/mitigations` knows, by category. Each one is a token for',
    '`gradlab compare <spec> --with <variant>` and `applyMitigations(spec, variant)`: join tokens with',
    '`+` for one variant (`relu+he-init+clip-global-norm:1`), and separate arguments with `:`. A',
    'strategy that does not apply to a spec (lstm on an MLP, batchnorm on an RNN) is refused with the',
    'reason. Where a strategy has a standalone counterpart for your own tfjs training loop, its page',
    'shows it.',
    '',
  ];
  for (const category of categories) {
    const group = all.filter((m) => m.category === category);
    if (group.length === 0) continue;
    lines.push(
      `## ${category}`,
      '',
      '| token | addresses | what it is | standalone |',
      '|---|---|---|---|',
    );
    for (const m of group) {
      lines.push(
        `| [\`${cell(m.usage)}\`](${m.name}.md) | ${m.addresses} | ${cell(m.title)} | ${m.standalone.map((f) => `\`${f}\``).join(', ') || '-'} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** File name (relative to docs/mitigations) to content, for every strategy and the index. */
export function renderMitigationDocs(): Map<string, string> {
  const all = listMitigations();
  const files = new Map<string, string>([['README.md', renderIndex(all)]]);
  for (const m of all) files.set(`${m.name}.md`, renderOne(m));
  return files;
}
