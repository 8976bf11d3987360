// One IndexedDB database of the app's own (not y-indexeddb's), opened once per context and shared by its callers.

/**
 * A function that opens `name` (version 1, `stores` created on first open) once and gives the same database
 * after; another tab deleting or upgrading it is not held up (this one closes it and opens it again next time).
 */
export function ownDatabase(name: string, stores: readonly string[]): () => Promise<IDBDatabase> {
  let opening: Promise<IDBDatabase> | null = null;
  return () => {
    opening ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = () => {
        for (const store of stores) req.result.createObjectStore(store);
      };
      req.onsuccess = () => {
        req.result.onversionchange = () => {
          req.result.close();
          opening = null;
        };
        resolve(req.result);
      };
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error(`${name} is blocked by another tab`));
    }).catch((err) => {
      opening = null;
      throw err;
    });
    return opening;
  };
}
