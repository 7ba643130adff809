/**
 * The optional GitHub Actions workflow `berth init --ci github` writes: deploy every environment on a push to main,
 * authenticated to Google Cloud with Workload Identity Federation (no keys, no secrets in the file).
 */

/** Where the workflow goes, relative to the repository root. */
export const WORKFLOW_PATH = '.github/workflows/berth-deploy.yaml';

/** The identity pool provider's attribute mapping, in the setup steps of the header. */
const ATTRIBUTE_MAPPING = [
  'google.subject=assertion.sub',
  'attribute.actor=assertion.actor',
  'attribute.repository=assertion.repository',
  'attribute.repository_owner=assertion.repository_owner',
].join(',');

const HEADER = `# berth deploy on every push to main (written by \`berth init --ci github\`; edit freely).
# Authenticates to Google Cloud with Workload Identity Federation: no service account key, no secrets here.
# berth must be in package.json (npm install --save-dev berth) so that \`npm ci\` installs it.
#
# Repository variables to set (Settings > Secrets and variables > Actions > Variables; per-environment
# variables of the same name override them):
#   WIF_PROVIDER            projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/github/providers/my-repo
#   DEPLOY_SERVICE_ACCOUNT  berth-deploy@PROJECT_ID.iam.gserviceaccount.com
#   GKE_PROJECT             the cluster's project id          GKE_LOCATION  its region or zone, e.g. europe-west1
#   GKE_CLUSTER             the cluster's name
#
# One-time set-up (PROJECT_ID, PROJECT_NUMBER, OWNER and OWNER/REPO are yours):
#   gcloud services enable iamcredentials.googleapis.com sts.googleapis.com --project=PROJECT_ID
#   gcloud iam service-accounts create berth-deploy --project=PROJECT_ID
#   gcloud projects add-iam-policy-binding PROJECT_ID --role=roles/container.developer \\
#     --member=serviceAccount:berth-deploy@PROJECT_ID.iam.gserviceaccount.com
#   gcloud iam workload-identity-pools create github --project=PROJECT_ID --location=global \\
#     --display-name="GitHub Actions"
#   gcloud iam workload-identity-pools providers create-oidc my-repo --project=PROJECT_ID --location=global \\
#     --workload-identity-pool=github --display-name="my-repo" \\
#     --issuer-uri=https://token.actions.githubusercontent.com \\
#     --attribute-mapping="${ATTRIBUTE_MAPPING}" \\
#     --attribute-condition="assertion.repository_owner == 'OWNER'"
#   gcloud iam service-accounts add-iam-policy-binding berth-deploy@PROJECT_ID.iam.gserviceaccount.com \\
#     --project=PROJECT_ID --role=roles/iam.workloadIdentityUser \\
#     --member="principalSet://iam.googleapis.com/projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/github/attribute.repository/OWNER/REPO"
#   (WIF_PROVIDER is then: gcloud iam workload-identity-pools providers describe my-repo --project=PROJECT_ID
#    --location=global --workload-identity-pool=github --format="value(name)")
`;

/** One deploy job; `needs` lists the jobs that must succeed first. */
function job(environment: string, needs: readonly string[], file: string): string {
  const from = file === 'platform.yaml' ? '' : ` --file ${file}`;
  return `  deploy-${environment}:
    name: deploy ${environment}
    runs-on: ubuntu-latest
${needs.length > 0 ? `    needs: [${needs.join(', ')}]\n` : ''}    environment: ${environment}
    concurrency:
      group: berth-deploy-${environment}
      cancel-in-progress: false
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - uses: google-github-actions/auth@v2
        with:
          workload_identity_provider: \${{ vars.WIF_PROVIDER }}
          service_account: \${{ vars.DEPLOY_SERVICE_ACCOUNT }}
      - run: npx berth validate${from}
      - run: >-
          npx berth deploy${from} --env ${environment}
          --project "\${{ vars.GKE_PROJECT }}" --location "\${{ vars.GKE_LOCATION }}" --cluster "\${{ vars.GKE_CLUSTER }}"
`;
}

/**
 * The workflow for `environments` (DNS labels, as the declaration validated them): one job per environment; the
 * first (production-like) deploys only after every other environment deployed. `file` is the declaration's path
 * relative to the repository root (passed as --file unless it is platform.yaml, which berth finds itself).
 */
export function githubWorkflow(environments: readonly string[], file = 'platform.yaml'): string {
  const [first = 'production', ...others] = environments;
  const jobs = [
    ...others.map((e) => job(e, [], file)),
    job(
      first,
      others.map((e) => `deploy-${e}`),
      file,
    ),
  ];
  return `${HEADER}name: berth deploy

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  id-token: write

jobs:
${jobs.join('\n')}`;
}
