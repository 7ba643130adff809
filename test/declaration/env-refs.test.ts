import { plainEnvOrder, referenceProblems, referencesIn, withoutReferences } from '../../src/declaration/env-refs.js';

describe('$(NAME) references', () => {
  test('references are found in order; $$ escapes a literal $(X); an unclosed $( is text', () => {
    expect(referencesIn('postgres://$(DB_USER):$(DB_PASSWORD)@$(DB_HOST):5432/app')).toEqual(['DB_USER', 'DB_PASSWORD', 'DB_HOST']);
    expect(referencesIn('cost: $$(HOME) and $(A)')).toEqual(['A']);
    expect(referencesIn('$(OPEN')).toEqual([]);
    expect(referencesIn('no refs, $5')).toEqual([]);
  });

  test('withoutReferences drops references and keeps escaped text, for credential detection', () => {
    expect(withoutReferences('postgres://app:$(DB_PASSWORD)@db/app')).toBe('postgres://app:@db/app');
    expect(withoutReferences('a$$(B)c')).toBe('a$$(B)c');
  });

  test('plain env keeps declared order and moves a referenced variable before its user (stable)', () => {
    // GIVEN URL declared before the HOST and PORT it references
    const env = { LOG: 'info', URL: 'http://$(HOST):$(PORT)/', ZONE: 'a', PORT: '80', HOST: 'db' };
    // WHEN ordered THEN HOST and PORT come right before URL, in URL's reference order; the rest keep their place
    expect(plainEnvOrder(env)).toEqual(['LOG', 'HOST', 'PORT', 'URL', 'ZONE']);
    // AND without references the declared order is untouched
    expect(plainEnvOrder({ Z: '1', A: '2', M: '3' })).toEqual(['Z', 'A', 'M']);
  });

  test('unknown references and cycles are problems naming both variables; secretEnv names are known', () => {
    const problems = referenceProblems({
      env: { URL: 'postgres://app:$(DB_PASSWORD)@$(DB_HOSTT)/app', A: '$(B)', B: 'x$(A)' },
      secretEnv: { DB_PASSWORD: { secret: 'db', key: 'password' } },
    });
    expect(problems).toEqual([
      { variable: 'URL', reference: 'DB_HOSTT', kind: 'unknown' },
      { variable: 'B', reference: 'A', kind: 'cycle' },
    ]);
    expect(referenceProblems({ env: { SELF: '$(SELF)' } })).toEqual([{ variable: 'SELF', reference: 'SELF', kind: 'cycle' }]);
  });
});
