/** Version of the gradlab command. Kept equal to package.json's. */
export const CLI_VERSION = '0.1.0';
