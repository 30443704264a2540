//! gzip input: recognising it by magic bytes, and a decompressing reader bounded in total size
//! and in expansion ratio, so a small hostile file cannot make a scan run for hours or fill the
//! disk cache (a "gzip bomb"; Suzaku 2.0 added the same guard).

use flate2::bufread::MultiGzDecoder;
use std::cell::Cell;
use std::fmt;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

/// gzip's magic bytes (RFC 1952).
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The ratio limit is checked only past this many decompressed bytes: a small file that expands
/// a lot (a few KB of padding) is harmless, and the ratio of the first blocks is noisy.
pub const RATIO_CHECK_AFTER: u64 = 16 << 20;

pub fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(&GZIP_MAGIC)
}

/// Decompress at most `max` bytes of a (possibly cut) gzip head, for content sniffing.
pub fn decompress_head(head: &[u8], max: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(max.min(64 << 10));
    let mut decoder = MultiGzDecoder::new(head).take(max as u64);
    // The head is usually cut mid-stream: keep what decoded before the error.
    let mut chunk = [0u8; 8192];
    while let Ok(n) = decoder.read(&mut chunk) {
        if n == 0 {
            break;
        }
        out.extend_from_slice(&chunk[..n]);
    }
    out
}

/// Counts bytes read through it; the count is shared so it stays readable after the reader is
/// moved into a decoder.
pub struct Counted<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R> Counted<R> {
    pub fn new(inner: R) -> (Counted<R>, Rc<Cell<u64>>) {
        let count = Rc::new(Cell::new(0));
        (
            Counted {
                inner,
                count: count.clone(),
            },
            count,
        )
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// A decompression limit was hit; carried inside an `io::Error` through the buffered readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GzipLimit {
    Size {
        limit: u64,
    },
    Ratio {
        limit: u64,
        compressed: u64,
        decompressed: u64,
    },
}

impl fmt::Display for GzipLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GzipLimit::Size { limit } => write!(f, "decompressed size over {limit} bytes"),
            GzipLimit::Ratio { limit, .. } => write!(f, "compression ratio over {limit}:1"),
        }
    }
}

impl std::error::Error for GzipLimit {}

/// A gzip decoder (all members, as `gzip -d` does) that fails with a [`GzipLimit`] error once
/// the output passes `max_bytes` or expands more than `max_ratio` times the compressed input.
pub struct BoundedGzip<R: BufRead> {
    decoder: MultiGzDecoder<R>,
    compressed: Rc<Cell<u64>>,
    decompressed: u64,
    max_bytes: u64,
    max_ratio: u64,
}

impl<R: BufRead> BoundedGzip<R> {
    /// `compressed` is the running count of bytes the decoder has pulled from the file.
    pub fn new(
        inner: R,
        compressed: Rc<Cell<u64>>,
        max_bytes: u64,
        max_ratio: u64,
    ) -> BoundedGzip<R> {
        BoundedGzip {
            decoder: MultiGzDecoder::new(inner),
            compressed,
            decompressed: 0,
            max_bytes,
            max_ratio,
        }
    }
}

impl<R: BufRead> Read for BoundedGzip<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // Never decode past the size limit: everything up to it is delivered (so the records
        // within it are read), and the error comes only if more data follows.
        let room = self.max_bytes.saturating_sub(self.decompressed);
        if room == 0 {
            let mut probe = [0u8; 1];
            return match self.decoder.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::other(GzipLimit::Size {
                    limit: self.max_bytes,
                })),
            };
        }
        let want = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = self.decoder.read(&mut buf[..want])?;
        self.decompressed += n as u64;
        let compressed = self.compressed.get().max(1);
        if self.decompressed > RATIO_CHECK_AFTER && self.decompressed / compressed > self.max_ratio
        {
            return Err(io::Error::other(GzipLimit::Ratio {
                limit: self.max_ratio,
                compressed,
                decompressed: self.decompressed,
            }));
        }
        Ok(n)
    }
}

/// The limit error inside an `io::Error`, if that is what it is.
pub fn limit_of(e: &io::Error) -> Option<GzipLimit> {
    e.get_ref()?.downcast_ref::<GzipLimit>().copied()
}
