//! The segment files of a [`RedbStore`](crate::RedbStore): a directory of append-only
//! files `00000001.seg`, `00000002.seg`, ... holding the values written with
//! [`put_external`](crate::WriteBatch::put_external).
//!
//! This module only moves bytes: it reads, appends, wipes and removes files, and caches
//! their handles. Which bytes are live, and when it is safe to wipe them, is decided by
//! the store (`redb_store.rs`) from its meta tables.

use std::collections::{BTreeMap, HashMap};
use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parking_lot::RwLock;

use crate::error::{Error, Result};
use crate::layout::{Extent, Pointer, Tail, checksum, corrupt};

/// Largest zero buffer a wipe writes at once.
const WIPE_CHUNK: usize = 1 << 20;

/// A directory of segment files with cached handles.
pub(crate) struct Segments {
    dir: PathBuf,
    files: RwLock<HashMap<u32, Arc<File>>>,
}

impl Segments {
    /// The segment directory of the database at `db_path` (`<db_path>.segments`),
    /// created if missing.
    pub(crate) fn open(db_path: &Path) -> Result<Self> {
        let mut dir = db_path.as_os_str().to_owned();
        dir.push(".segments");
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).map_err(|source| Error::CreateDir {
            path: dir.clone(),
            source,
        })?;
        Ok(Self {
            dir,
            files: RwLock::new(HashMap::new()),
        })
    }

    /// The directory.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, segment: u32) -> PathBuf {
        self.dir.join(format!("{segment:08}.seg"))
    }

    fn io_error(&self, segment: u32, source: io::Error) -> Error {
        Error::Segment {
            path: self.path(segment),
            source,
        }
    }

    /// The open handle of `segment`, `None` if the file does not exist.
    pub(crate) fn file(&self, segment: u32) -> Result<Option<Arc<File>>> {
        if let Some(file) = self.files.read().get(&segment) {
            return Ok(Some(Arc::clone(file)));
        }
        let file = match OpenOptions::new()
            .read(true)
            .write(true)
            .open(self.path(segment))
        {
            Ok(file) => Arc::new(file),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io_error(segment, e)),
        };
        Ok(Some(Arc::clone(
            self.files.write().entry(segment).or_insert(file),
        )))
    }

    /// Creates `segment` empty (truncating any leftover file of that number) and makes
    /// its directory entry durable.
    pub(crate) fn create(&self, segment: u32) -> Result<Arc<File>> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(self.path(segment))
            .map_err(|e| self.io_error(segment, e))?;
        self.sync_dir()?;
        let file = Arc::new(file);
        self.files.write().insert(segment, Arc::clone(&file));
        Ok(file)
    }

    /// Writes `bytes` at `offset` of `file` (segment `segment`), then flushes them to
    /// disk if `sync`.
    pub(crate) fn append(
        &self,
        segment: u32,
        file: &File,
        offset: u64,
        bytes: &[u8],
        sync: bool,
    ) -> Result<()> {
        write_at(file, bytes, offset)
            .and_then(|()| if sync { file.sync_data() } else { Ok(()) })
            .map_err(|e| self.io_error(segment, e))
    }

    /// Cuts `file` (segment `segment`) back to `len` bytes.
    pub(crate) fn truncate(&self, segment: u32, file: &File, len: u64) -> Result<()> {
        file.set_len(len)
            .and_then(|()| file.sync_all())
            .map_err(|e| self.io_error(segment, e))
    }

    /// The value `pointer` points to, checked against its checksum.
    pub(crate) fn read(&self, pointer: &Pointer) -> Result<Vec<u8>> {
        let Extent {
            segment,
            offset,
            len,
        } = pointer.extent;
        let file = self
            .file(segment)?
            .ok_or_else(|| corrupt(format!("segment file {segment:08}.seg is missing")))?;
        // `len` was bounded by MAX_VALUE_LEN when the pointer was decoded.
        let mut value = vec![0u8; len as usize];
        match read_at(&file, &mut value, offset) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                return Err(corrupt(format!(
                    "segment file {segment:08}.seg ends before {len} bytes at offset {offset}"
                )));
            }
            Err(e) => return Err(self.io_error(segment, e)),
        }
        if checksum(&value) != pointer.checksum {
            return Err(corrupt(format!(
                "checksum mismatch for {len} bytes at offset {offset} of segment {segment:08}.seg"
            )));
        }
        Ok(value)
    }

    /// Overwrites every extent with zeros and flushes each touched file. Extents of
    /// missing files are skipped (the file is gone, and its bytes with it), as are the
    /// parts of an extent past the end of its file.
    pub(crate) fn wipe(&self, extents: &[Extent]) -> Result<()> {
        let mut by_segment: BTreeMap<u32, Vec<&Extent>> = BTreeMap::new();
        for e in extents {
            by_segment.entry(e.segment).or_default().push(e);
        }
        let longest = extents.iter().map(|e| e.len as usize).max().unwrap_or(0);
        let zeros = vec![0u8; longest.clamp(1, WIPE_CHUNK)];
        for (segment, extents) in by_segment {
            let Some(file) = self.file(segment)? else {
                continue;
            };
            let size = file
                .metadata()
                .map_err(|e| self.io_error(segment, e))?
                .len();
            for e in extents {
                let end = e.offset.saturating_add(u64::from(e.len)).min(size);
                let mut at = e.offset;
                while at < end {
                    let n = (end - at).min(zeros.len() as u64) as usize;
                    write_at(&file, &zeros[..n], at).map_err(|e| self.io_error(segment, e))?;
                    at += n as u64;
                }
            }
            file.sync_data().map_err(|e| self.io_error(segment, e))?;
        }
        Ok(())
    }

    /// Deletes the file of `segment` (a missing file is fine) and forgets its handle.
    pub(crate) fn remove(&self, segment: u32) -> Result<()> {
        self.files.write().remove(&segment);
        match std::fs::remove_file(self.path(segment)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(self.io_error(segment, e)),
        }
    }

    /// Makes creations and deletions in the directory durable.
    pub(crate) fn sync_dir(&self) -> Result<()> {
        #[cfg(unix)]
        {
            File::open(&self.dir)
                .and_then(|d| d.sync_all())
                .map_err(|source| Error::Segment {
                    path: self.dir.clone(),
                    source,
                })?;
        }
        Ok(())
    }

    /// The segment numbers of the files in the directory; other files are ignored.
    pub(crate) fn list(&self) -> Result<Vec<u32>> {
        let entries = std::fs::read_dir(&self.dir).map_err(|source| Error::Segment {
            path: self.dir.clone(),
            source,
        })?;
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| Error::Segment {
                path: self.dir.clone(),
                source,
            })?;
            let name = entry.file_name();
            let parsed = name
                .to_str()
                .and_then(|n| n.strip_suffix(".seg"))
                .filter(|n| n.len() == 8 && n.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|n| n.parse().ok());
            if let Some(segment) = parsed {
                out.push(segment);
            }
        }
        out.sort_unstable();
        Ok(out)
    }

    /// Brings the directory back to the committed state after an open: cuts the current
    /// segment to the committed tail (dropping bytes of batches whose commit never
    /// happened), wipes `pending`, and removes every file that is neither the current
    /// segment nor `live`. Returns the current segment's handle.
    pub(crate) fn recover(
        &self,
        tail: Tail,
        pending: &[Extent],
        live: impl Fn(u32) -> bool,
    ) -> Result<Arc<File>> {
        let file = match self.file(tail.segment)? {
            Some(file) => file,
            None => self.create(tail.segment)?,
        };
        let size = file
            .metadata()
            .map_err(|e| self.io_error(tail.segment, e))?
            .len();
        if size > tail.len {
            self.truncate(tail.segment, &file, tail.len)?;
        }
        self.wipe(pending)?;
        let mut removed = false;
        for segment in self.list()? {
            if segment != tail.segment && !live(segment) {
                self.remove(segment)?;
                removed = true;
            }
        }
        if removed {
            self.sync_dir()?;
        }
        Ok(file)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(unix)]
fn write_at(file: &File, buf: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(windows)]
fn write_at(file: &File, mut buf: &[u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_write(buf, offset)? {
            0 => return Err(io::ErrorKind::WriteZero.into()),
            n => {
                buf = &buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}
