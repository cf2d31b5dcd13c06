import { describe, expect, it } from '@jest/globals';
import { packDirectory } from '../src/archive';
import { makeConfigTree, readArchive } from './config-tree';

describe('packDirectory', () => {
  it('packs the configuration as tar.gz, leaving out what Terraform and .terraformignore leave out', async () => {
    const archive = await packDirectory(await makeConfigTree());
    expect(archive.data.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const files = await readArchive(archive.data);
    expect([...files.keys()].sort()).toEqual([
      '.terraform/modules/modules.json',
      '.terraformignore',
      'keep.tfvars',
      'main.tf',
      'modules/edge/main.tf',
      'outputs.tf',
    ]);
    expect(files.get('main.tf')).toContain('notebook-logs');
  });

  it('packs the same tree the same way', async () => {
    const root = await makeConfigTree();
    expect((await packDirectory(root)).entries).toEqual((await packDirectory(root)).entries);
  });

  it('refuses a missing folder and one without Terraform files', async () => {
    await expect(packDirectory('/nonexistent/terraform')).rejects.toThrow(
      'Input "directory" must be the folder with the Terraform configuration; "/nonexistent/terraform" is not a directory.',
    );
    const empty = await makeConfigTree({ 'README.md': '# nothing\n' });
    await expect(packDirectory(empty)).rejects.toThrow('holds no .tf files to upload (after .terraformignore)');
  });
});
