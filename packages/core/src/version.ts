/** Version of @gradlab/core, recorded in every run.json. Kept equal to package.json's. */
export const CORE_VERSION = '0.1.0';
