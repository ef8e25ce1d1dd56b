import { DocumentStorage } from './storage';

const config = {
  S3_REGION: 'us-east-1',
  S3_ENDPOINT: 'http://s3:7070',
  S3_ACCESS_KEY_ID: 'k',
  S3_SECRET_ACCESS_KEY: 'secret-secret',
};
const meta = { workspaceId: 'w', uploadedBy: 'u', fileName: 'a b.pdf' };

describe('presigned URLs', () => {
  it('name S3_PUBLIC_ENDPOINT when set (compose: the API reaches s3:7070, clients localhost:7070)', async () => {
    const pub = new DocumentStorage('vigil', { ...config, S3_PUBLIC_ENDPOINT: 'http://localhost:7070' });
    expect(await pub.presignGet('k/a.pdf', 'a.pdf')).toMatch(/^http:\/\/localhost:7070\/vigil\/k\/a\.pdf\?/);
    const same = new DocumentStorage('vigil', config);
    expect(await same.presignGet('k/a.pdf', 'a.pdf')).toMatch(/^http:\/\/s3:7070\/vigil\/k\/a\.pdf\?/);
  });

  it('sign the metadata and checksum as headers the PUT must carry, not as query parameters', async () => {
    const s = new DocumentStorage('vigil', config);
    const sha = 'ab'.repeat(32);
    const { url, headers } = await s.presignPut({
      key: 'k/a.pdf',
      contentType: 'application/pdf',
      size: 5,
      sha256: sha,
      meta,
    });
    expect(headers).toEqual({
      'content-type': 'application/pdf',
      'x-amz-meta-workspace-id': 'w',
      'x-amz-meta-uploaded-by': 'u',
      'x-amz-meta-file-name': 'a%20b.pdf',
      'x-amz-checksum-sha256': Buffer.from(sha, 'hex').toString('base64'),
    });
    const q = new URL(url).searchParams;
    expect(q.get('X-Amz-SignedHeaders')?.split(';')).toEqual(
      expect.arrayContaining(['content-length', 'content-type', 'host', ...Object.keys(headers)]),
    );
    expect([...q.keys()].some((k) => k.toLowerCase().startsWith('x-amz-meta-'))).toBe(false);
  });
});
