// vitest globalSetup of `npm run test:replicas`: one throwaway PostgreSQL cluster for the run; each test file
// creates its own database in it.
import type { TestProject } from "vitest/node";
import { startPostgres } from "./postgres.js";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgres();
  project.provide("pgAdminUrl", cluster.adminUrl);
  return () => cluster.stop();
}
