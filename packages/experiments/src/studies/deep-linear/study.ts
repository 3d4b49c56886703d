import { defineStudy } from '../../define/define-study.js';
import { hostNumericsPlan } from '../../study-kit/study-plan.js';
import { checks, declared, measure } from './checks.js';
import { figures, tables } from './figures.js';
import { checkSettings, type DeepLinearSettings, scaleNote, settings } from './settings.js';

export const deepLinearStudy = defineStudy<DeepLinearSettings>({
  name: 'deep-linear',
  title:
    'Deep linear networks: orthogonal layers keep the Jacobian an isometry, Gaussian layers spread it',
  reference:
    'Saxe, McClelland & Ganguli (2014), Exact solutions to the nonlinear dynamics of learning in deep linear neural networks, ICLR; Pennington, Schoenholz & Ganguli (2017), Resurrecting the sigmoid in deep learning through dynamical isometry, NeurIPS.',
  claim:
    'In a deep linear network the input-output Jacobian of orthogonal layers has every singular value equal to 1 at any depth, while Gaussian N(0, 1/N) layers keep the mean squared singular value at 1 but spread the spectrum further with every layer (variance of s^2 = L).',
  scaleNote,
  usesBackend: true,
  checks: declared,
  settings,
  // Random matrices, no training: the judge draws and decomposes them.
  ...hostNumericsPlan(checkSettings, measure, { checks, figures, tables }),
});
