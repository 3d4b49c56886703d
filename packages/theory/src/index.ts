/**
 * @gradlab/theory: what signal-propagation theory predicts for a deep network, in plain
 * TypeScript numerics (no tfjs), so it runs anywhere and checks measurements made on any backend.
 */
export {};
