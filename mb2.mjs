import { readFileSync } from 'node:fs';
const { loadPlatformText } = await import('./lib/src/declaration/load.js');
const { platformCharts } = await import('./lib/src/render/render.js');
const { toYamlStream } = await import('./lib/src/render/yaml.js');
const { cdk8s } = await import('./lib/src/constructs/cjs.js');
const p = loadPlatformText(readFileSync('/work/sb/p.yaml','utf8'),'p.yaml');
for (let r=0;r<6;r++){
  let t=performance.now(); const charts = platformCharts(p); const tc=performance.now()-t;
  const objs = charts[0].chart.node.findAll().filter(c=>c instanceof cdk8s.ApiObject);
  t=performance.now(); const js = objs.map(o=>o.toJson()); const tj=performance.now()-t;
  t=performance.now(); const y = toYamlStream(js); const ty=performance.now()-t;
  console.log('construct',tc|0,'toJson',tj|0,'yaml',ty|0, y.length);
}
