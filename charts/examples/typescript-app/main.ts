// Entry point of the TypeScript example (compiled to lib/charts/examples/typescript-app/main.js):
//   npx berth synth --app "node lib/charts/examples/typescript-app/main.js"
//   npx cdk8s synth --app "node lib/charts/examples/typescript-app/main.js"
// cdk8s writes one <environment>.k8s.yaml per chart into CDK8S_OUTDIR. An entry point, so it may read the
// environment: SHOP_NAMESPACE moves production (tests deploy it into a fresh namespace).
import { shopApp } from './shop.js';

shopApp({ namespace: process.env.SHOP_NAMESPACE }).synth();
