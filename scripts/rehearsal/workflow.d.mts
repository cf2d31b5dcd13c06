export interface DeployJob {
  job: string;
  stage: string;
  title: string;
  action: string | undefined;
  timeoutMinutes: number | undefined;
}
export const DEPLOY_JOBS: DeployJob[];
export const REHEARSAL_OVERRIDES: { image: Record<string, string> };
export function actionInputs(
  job: string,
  facts: { outputs: Record<string, string>; sha: string; image?: string; accessToken?: string },
): Record<string, string>;
