import { renderPlatform } from '../../src/render/render.js';
import { env, find, platform, service } from '../helpers.js';

describe('env vars', () => {
  test('secretEnv first (declared order), then env in declared order with referenced variables moved before their users', () => {
    // GIVEN a DATABASE_URL built from a secret password and a host declared after it
    const decl = platform([
      service({
        env: { LOG_LEVEL: 'info', DATABASE_URL: 'postgres://app:$(DB_PASSWORD)@$(DB_HOST):5432/app', DB_HOST: '127.0.0.1', A: '1' },
        secretEnv: { SESSION_KEY: { secret: 's', key: 'k' }, DB_PASSWORD: { secret: 'db', key: 'password' } },
      }),
    ]);
    // WHEN rendered
    const container = find(env(renderPlatform(decl), 'production').objects, 'Deployment', 'api').spec.template.spec.containers[0];
    // THEN every reference points to a variable listed earlier, so Kubernetes expands it
    expect(container.env.map((e: { name: string }) => e.name)).toEqual(['SESSION_KEY', 'DB_PASSWORD', 'LOG_LEVEL', 'DB_HOST', 'DATABASE_URL', 'A']);
    expect(container.env[4]).toEqual({ name: 'DATABASE_URL', value: 'postgres://app:$(DB_PASSWORD)@$(DB_HOST):5432/app' });
    // AND the secret's value never appears, only the reference
    expect(container.env[1]).toEqual({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } });
  });

  test('an environment override merges per key and null deletes one key; order stays the base order', () => {
    // GIVEN staging changes LOG_LEVEL, deletes SENTRY_DSN and adds DEBUG
    const decl = platform([service({ env: { DJANGO_SETTINGS_MODULE: 'acme.settings', LOG_LEVEL: 'info', SENTRY_DSN: 'https://sentry.example.com/1' } })], {
      production: {},
      staging: { services: { api: { host: 'api.staging.example.com', env: { LOG_LEVEL: 'debug', SENTRY_DSN: null, DEBUG: '1' } } } },
    });
    // WHEN rendered THEN staging keeps the base's other keys in their declared order
    const rendered = renderPlatform(decl);
    const staging = find(env(rendered, 'staging').objects, 'Deployment', 'api').spec.template.spec.containers[0].env;
    expect(staging).toEqual([
      { name: 'DJANGO_SETTINGS_MODULE', value: 'acme.settings' },
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'DEBUG', value: '1' },
    ]);
    expect(find(env(rendered, 'production').objects, 'Deployment', 'api').spec.template.spec.containers[0].env).toHaveLength(3);
  });
});
