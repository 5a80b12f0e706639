// RecipesService.broken: the catalog's broken recipe folders as the API names them (the folder,
// or its path when the folder has no name; the catalog's error as the reason).
import { describe, expect, it } from 'vitest';
import { createRecipesService } from '../../../server/src/services/recipes.ts';

const catalog = { metas: () => [], spawn: () => Promise.reject(new Error('not used')) };

describe('RecipesService.broken', () => {
  it("maps the catalog's broken folders to name, source and reason", async () => {
    const service = createRecipesService({
      ...catalog,
      broken: () => [
        { folder: 'door-opener', dir: '/share/wactorz/recipes/door-opener', source: 'owner', error: 'scopes: "ha:sensitive" is refused' },
        { folder: '', dir: '/share/wactorz/recipes', source: 'owner', error: 'more than 100 folders' },
      ],
    });
    expect(await service.broken()).toEqual([
      { name: 'door-opener', source: 'owner', reason: 'scopes: "ha:sensitive" is refused' },
      { name: '/share/wactorz/recipes', source: 'owner', reason: 'more than 100 folders' },
    ]);
  });

  it('is empty when the catalog keeps no broken list', async () => {
    expect(await createRecipesService(catalog).broken()).toEqual([]);
  });
});
