/** CHRONICLE_CONFIG: the deployment config file, when it is not found from the working directory up. */
export const configFileFromEnv = (env: NodeJS.ProcessEnv = process.env): string | undefined =>
  env.CHRONICLE_CONFIG?.trim() || undefined;
