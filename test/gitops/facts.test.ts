import { factsOf } from '../../src/gitops/facts.js';
import { renderPlatform } from '../../src/render/render.js';
import { env, platform, service } from '../helpers.js';

describe('gitops facts', () => {
  test('a StatefulSet service is summarized like a Deployment one: image, replicas, memory; its headless Service belongs to it', () => {
    // GIVEN a service with storage (a StatefulSet) WHEN its facts are read back from the rendering
    const objects = env(
      renderPlatform(platform([service({ name: 'cart', host: undefined, storage: { path: '/data', size: '1Gi' }, replicas: 3 })])),
      'production',
    ).objects;
    const facts = factsOf(objects);
    // THEN the service is known, with its facts, and owns the headless Service
    const cart = facts.services.get('cart')!;
    expect(cart).toMatchObject({ images: { cart: 'registry.example.com/api:1.4.2' }, replicas: '3', memory: '512Mi' });
    expect(Object.keys(cart.rest)).toEqual(expect.arrayContaining(['StatefulSet/cart', 'Service/cart-headless']));
    // (its NetworkPolicy allow-cart is the environment's, in network-policies.yaml)
    expect(Object.keys(facts.shared).some((k) => k.includes('cart') && !k.startsWith('NetworkPolicy/'))).toBe(false);
  });
});
