//! Where the bytes of attached files live: a local directory by default, S3-compatible object
//! storage when several nodes share the files (the `s3` build feature). The database holds
//! what a file is; the blob store holds only its bytes, under a key the database chose.

use std::sync::Arc;

use bytes::Bytes;
use object_store::{ObjectStore, ObjectStoreExt, local::LocalFileSystem, path::Path};

use crate::StoreError;

/// The bytes of files, by key. Keys are made by partnerdesk (never from a file's name).
#[async_trait::async_trait]
pub trait BlobStore: Send + Sync + std::fmt::Debug {
    async fn put(&self, key: &str, bytes: Bytes) -> Result<(), StoreError>;
    async fn get(&self, key: &str) -> Result<Bytes, StoreError>;
    /// Removing what is already gone is not an error.
    async fn delete(&self, key: &str) -> Result<(), StoreError>;
}

/// A blob store over the `object_store` crate: a directory, or a bucket.
#[derive(Debug, Clone)]
pub struct ObjectBlobs {
    inner: Arc<dyn ObjectStore>,
    prefix: Path,
    /// The directory, when the files are local: what `put` flushes to disk.
    directory: Option<std::path::PathBuf>,
}

impl ObjectBlobs {
    /// Opens `location`: a directory (created if missing), or a URL such as
    /// `s3://bucket/prefix` whose credentials come from the `AWS_*` environment variables.
    pub fn open(location: &str) -> Result<ObjectBlobs, StoreError> {
        let bad =
            |e: &dyn std::fmt::Display| StoreError::Files(format!("cannot use {location:?}: {e}"));
        if location.starts_with("s3://") && !cfg!(feature = "s3") {
            return Err(bad(
                &"this build has no S3 support (build with --features s3)",
            ));
        }
        if location.contains("://") {
            let url = url::Url::parse(location).map_err(|e| bad(&e))?;
            let options = std::env::vars().filter(|(k, _)| k.starts_with("AWS_"));
            let (inner, prefix) =
                object_store::parse_url_opts(&url, options).map_err(|e| bad(&e))?;
            return Ok(ObjectBlobs {
                inner: Arc::from(inner),
                prefix,
                directory: None,
            });
        }
        std::fs::create_dir_all(location).map_err(|e| bad(&e))?;
        let root = std::fs::canonicalize(location).map_err(|e| bad(&e))?;
        let directory = LocalFileSystem::new_with_prefix(&root).map_err(|e| bad(&e))?;
        Ok(ObjectBlobs {
            inner: Arc::new(directory),
            prefix: Path::default(),
            directory: Some(root),
        })
    }

    fn path(&self, key: &str) -> Path {
        key.split('/')
            .fold(self.prefix.clone(), |path, part| path.join(part))
    }
}

/// Makes a file written in place by a rename survive a power loss: its bytes, and the directory
/// entry naming it. The request that lists the file is committed only after this, and SQLite
/// (`synchronous=full`) or PostgreSQL keep that commit, so an acknowledged upload is never lost.
fn flush_to_disk(file: &std::path::Path) -> std::io::Result<()> {
    std::fs::File::open(file)?.sync_all()?;
    if let Some(parent) = file.parent() {
        std::fs::File::open(parent)?.sync_all()?;
    }
    Ok(())
}

fn failed(e: object_store::Error) -> StoreError {
    match e {
        object_store::Error::NotFound { .. } => StoreError::NotFound,
        e => StoreError::Files(e.to_string()),
    }
}

#[async_trait::async_trait]
impl BlobStore for ObjectBlobs {
    async fn put(&self, key: &str, bytes: Bytes) -> Result<(), StoreError> {
        self.inner
            .put(&self.path(key), bytes.into())
            .await
            .map_err(failed)?;
        if let Some(directory) = &self.directory {
            let file = key
                .split('/')
                .fold(directory.clone(), |path, part| path.join(part));
            tokio::task::spawn_blocking(move || flush_to_disk(&file))
                .await
                .map_err(|e| StoreError::Files(e.to_string()))?
                .map_err(|e| StoreError::Files(format!("cannot flush a file to disk: {e}")))?;
        }
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Bytes, StoreError> {
        let found = self.inner.get(&self.path(key)).await.map_err(failed)?;
        found.bytes().await.map_err(failed)
    }

    async fn delete(&self, key: &str) -> Result<(), StoreError> {
        match self.inner.delete(&self.path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(failed(e)),
        }
    }
}
