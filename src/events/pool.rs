//! Read buffers reused across the files a thread reads. A fresh buffer per file (two for gzip)
//! cost a page fault per page touched, and the allocator returned the memory to the system
//! between files only to fault it in again for the next one: about 6,700 page faults per
//! million benchmark records, some of them zeroing whole huge pages.

use std::cell::RefCell;
use std::io::{self, BufRead, Read};

/// Buffers a thread keeps for its next files (a gzip file uses two at once).
const KEPT: usize = 4;

thread_local! {
    static FREE: RefCell<Vec<Box<[u8]>>> = const { RefCell::new(Vec::new()) };
}

/// A buffered reader like `std::io::BufReader`, whose buffer comes from and goes back to its
/// thread's pool.
pub(crate) struct PooledReader<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    filled: usize,
}

impl<R> PooledReader<R> {
    pub(crate) fn new(capacity: usize, inner: R) -> PooledReader<R> {
        let pooled = FREE.with(|free| {
            let mut free = free.borrow_mut();
            let at = free.iter().position(|b| b.len() == capacity)?;
            Some(free.swap_remove(at))
        });
        PooledReader {
            inner,
            buf: pooled.unwrap_or_else(|| vec![0; capacity].into_boxed_slice()),
            pos: 0,
            filled: 0,
        }
    }
}

impl<R> Drop for PooledReader<R> {
    fn drop(&mut self) {
        let buf = std::mem::take(&mut self.buf);
        // `try_with`: a reader dropped while the thread exits just frees its buffer.
        let _ = FREE.try_with(|free| {
            let mut free = free.borrow_mut();
            if free.len() < KEPT {
                free.push(buf);
            }
        });
    }
}

impl<R: Read> Read for PooledReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> PooledReader<R> {
    /// The slow path of `fill_buf`, kept out of line so that the fast one (about ten calls a
    /// record from the scanner) inlines into its callers.
    #[inline(never)]
    fn refill(&mut self) -> io::Result<()> {
        // Clamped: a reader claiming more than the buffer holds must not make us panic.
        self.filled = self.inner.read(&mut self.buf)?.min(self.buf.len());
        self.pos = 0;
        Ok(())
    }
}

impl<R: Read> BufRead for PooledReader<R> {
    #[inline]
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos >= self.filled {
            self.refill()?;
        }
        Ok(&self.buf[self.pos..self.filled])
    }

    #[inline]
    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.filled);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_a_bufreader_and_reuses_its_buffer() {
        let text: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let mut r = PooledReader::new(64, &text[..]);
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        assert_eq!(out, text);
        let first = r.buf.as_ptr();
        drop(r);
        let mut again = PooledReader::new(64, &b"abc"[..]);
        assert_eq!(again.buf.as_ptr(), first);
        assert_eq!(again.fill_buf().unwrap(), b"abc");
        again.consume(2);
        assert_eq!(again.fill_buf().unwrap(), b"c");
        again.consume(5);
        assert_eq!(again.fill_buf().unwrap(), b"");
        drop(again);
        // A different size is not taken from the pool; the same size is again.
        let other = PooledReader::new(32, &b""[..]);
        assert_eq!((other.buf.len(), other.buf.as_ptr() == first), (32, false));
        assert_eq!(PooledReader::new(64, &b""[..]).buf.as_ptr(), first);
    }
}
