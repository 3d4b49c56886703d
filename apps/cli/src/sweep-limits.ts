/** More cells than this need --yes: a typo in a grid should not start hours of work. */
export const CELL_LIMIT = 100;
