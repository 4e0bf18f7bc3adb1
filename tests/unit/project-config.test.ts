import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const config = JSON.parse(fs.readFileSync(path.join(root, 'project.config.json'), 'utf8'));

describe('project.config.json', () => {
  it("passes WeChat DevTools' schema (via miniprogram-ci)", () => {
    const quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined); // "initservices CI"
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ci = require('miniprogram-ci') as typeof import('miniprogram-ci');
    quiet.mockRestore();
    expect(ci.schemaValidate('projectconfig', config).error).toEqual([]);
  });

  it('points DevTools at the mini-program, the functions and the manual npm build', () => {
    expect(config).toMatchObject({
      compileType: 'miniprogram',
      miniprogramRoot: 'miniprogram/',
      cloudfunctionRoot: 'cloudfunctions/',
      setting: {
        useCompilerPlugins: ['typescript'],
        packNpmManually: true,
        packNpmRelationList: [
          { packageJsonPath: './package.json', miniprogramNpmDistDir: './miniprogram/' },
        ],
      },
    });
  });

  it('packs only mini-program packages: server and type-only packages stay dev dependencies', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies)).not.toEqual(expect.arrayContaining(['wx-server-sdk']));
    expect(Object.keys(pkg.dependencies)).not.toEqual(expect.arrayContaining(['zod']));
  });
});
