import { defineStudy } from '../../define/define-study.js';
import { hostNumericsPlan } from '../../study-kit/study-plan.js';
import { checks, declared, measure } from './checks.js';
import { figures, tables } from './figures.js';
import { checkSettings, scaleNote, settings, type WidthFluctuationSettings } from './settings.js';

export const widthFluctuationsStudy = defineStudy<WidthFluctuationSettings>({
  name: 'width-fluctuations',
  title: 'Width and gradient fluctuations in ReLU networks',
  reference:
    'Hanin (2018), Which neural net architectures give rise to exploding and vanishing gradients?, NeurIPS.',
  claim:
    'In a ReLU network with He initialisation the squared input-output gradient ||J(x) u||^2 fluctuates from network to network by a log-variance that grows linearly in beta = sum over layers of 1/width (about 5 beta), so narrow layers, not depth as such, make gradients erratic.',
  scaleNote,
  usesBackend: true,
  checks: declared,
  settings,
  // Random networks at initialisation, no training: the judge draws and measures them.
  ...hostNumericsPlan(checkSettings, measure, { checks, figures, tables }),
});
