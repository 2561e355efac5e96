// The artifact service's container in blob storage, and the signed (SAS)
// URLs it hands out: write-only for an upload, read-only for a download,
// both short-lived, as GitHub's results service does.
import {
  BlobSASPermissions,
  type ContainerClient,
  StorageSharedKeyCredential,
  BlobServiceClient,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob';
import { DEV_ACCOUNT, DEV_ACCOUNT_KEY } from './azurite.ts';

const CONTAINER = 'actions-results';
const URL_LIFETIME_MS = 60 * 60 * 1000;

export class BlobStore {
  readonly #credential = new StorageSharedKeyCredential(DEV_ACCOUNT, DEV_ACCOUNT_KEY);
  readonly container: ContainerClient;

  private constructor(accountUrl: string) {
    this.container = new BlobServiceClient(accountUrl, this.#credential).getContainerClient(CONTAINER);
  }

  static async open(accountUrl: string): Promise<BlobStore> {
    const store = new BlobStore(accountUrl);
    await store.container.createIfNotExists();
    return store;
  }

  uploadUrl(blobName: string): string {
    return this.#signed(blobName, 'cw', {});
  }

  /** A raw (not zipped) artifact comes back under its own file name, as download-artifact reads it from Content-Disposition. */
  downloadUrl(blobName: string, name: string, mimeType: string): string {
    const disposition =
      mimeType === 'application/zip'
        ? {}
        : { contentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(name)}` };
    return this.#signed(blobName, 'r', disposition);
  }

  async size(blobName: string): Promise<number | undefined> {
    try {
      return (await this.container.getBlobClient(blobName).getProperties()).contentLength;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  async remove(blobName: string): Promise<void> {
    await this.container.getBlobClient(blobName).deleteIfExists();
  }

  #signed(blobName: string, permissions: string, extra: { contentDisposition?: string }): string {
    const sas = generateBlobSASQueryParameters(
      {
        containerName: CONTAINER,
        blobName,
        permissions: BlobSASPermissions.parse(permissions),
        expiresOn: new Date(Date.now() + URL_LIFETIME_MS),
        ...extra,
      },
      this.#credential,
    );
    return `${this.container.getBlockBlobClient(blobName).url}?${sas.toString()}`;
  }
}
