import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { Parser, type ReadEntry } from 'tar';

/**
 * A Terraform configuration folder with what an upload must leave out: git metadata, provider binaries in
 * .terraform, and files a .terraformignore excludes. Built per test: a committed `.terraform` would be
 * ignored by git.
 */
export const CONFIG_FILES: Record<string, string> = {
  'main.tf': 'resource "aws_s3_bucket" "logs" {\n  bucket = "notebook-logs"\n}\n',
  'outputs.tf': 'output "bucket_name" {\n  value = aws_s3_bucket.logs.bucket\n}\n',
  'modules/edge/main.tf': 'variable "ami" {}\n',
  '.terraformignore': '# local only\n*.tfvars\nscratch/\n!keep.tfvars\n',
  'prod.tfvars': 'secret = "do-not-upload"\n',
  'keep.tfvars': 'region = "eu-west-1"\n',
  'scratch/notes.txt': 'scratch\n',
  '.git/HEAD': 'ref: refs/heads/main\n',
  '.terraform/providers/registry.terraform.io/hashicorp/aws/terraform-provider-aws': 'binary',
  '.terraform/modules/modules.json': '{"Modules":[]}\n',
  '.terraform/terraform.tfstate': '{"backend":{"config":{"token":"secret"}}}\n',
};

export async function makeConfigTree(files: Record<string, string> = CONFIG_FILES): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'tf-config-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

/** The file paths and contents of a tar.gz. */
export async function readArchive(data: Buffer): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const parser = new Parser({
    onReadEntry: (entry: ReadEntry) => {
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => {
        if (entry.type === 'File') files.set(entry.path, Buffer.concat(chunks).toString('utf8'));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
    Readable.from([data]).pipe(parser);
  });
  return files;
}
