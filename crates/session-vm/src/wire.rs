//! A bounds-checked reader for the VM's binary formats (blocks, transactions,
//! stored records). Every read checks the remaining length first, so hostile
//! bytes give an error, never a panic or a large allocation.

use session_core::Id;

use crate::error::{Error, Result};

/// Reads big-endian fields from a byte slice.
#[derive(Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Starts reading `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Self { buf }
    }

    /// Bytes not yet read.
    pub fn remaining(&self) -> usize {
        self.buf.len()
    }

    /// The next `n` bytes.
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.buf.len() < n {
            return Err(Error::params("truncated input"));
        }
        let (head, tail) = self.buf.split_at(n);
        self.buf = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.bytes(N)?);
        Ok(out)
    }

    /// One byte.
    pub fn u8(&mut self) -> Result<u8> {
        Ok(self.array::<1>()?[0])
    }

    /// A big-endian `u16`.
    pub fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    /// A big-endian `u32`.
    pub fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    /// A big-endian `u64`.
    pub fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    /// A 32-byte ID.
    pub fn id(&mut self) -> Result<Id> {
        Ok(Id::new(self.array()?))
    }

    /// A `u32` length (at most `max`) followed by that many bytes.
    pub fn var_bytes(&mut self, max: usize) -> Result<&'a [u8]> {
        let len = self.u32()? as usize;
        if len > max {
            return Err(Error::params("length over limit"));
        }
        self.bytes(len)
    }

    /// Fails unless every byte was read.
    pub fn finish(self) -> Result<()> {
        if self.buf.is_empty() {
            Ok(())
        } else {
            Err(Error::params("trailing bytes"))
        }
    }
}

/// Appends a `u32` length and the bytes.
pub fn put_var_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    let len = u32::try_from(bytes.len()).expect("length bounded by caller");
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_rejects() {
        let mut r = Reader::new(&[0, 1, 0, 0, 0, 2, 9, 9, 7]);
        assert_eq!(r.u16().unwrap(), 1);
        assert_eq!(r.var_bytes(2).unwrap(), &[9, 9]);
        assert!(r.u16().is_err());
        let mut r = Reader::new(&[0, 0, 0, 5, 1]);
        assert!(r.var_bytes(4).is_err());
        let mut r = Reader::new(&[0xFF, 0xFF, 0xFF, 0xFF]);
        assert!(r.var_bytes(usize::MAX).is_err());
        assert!(Reader::new(&[1]).finish().is_err());
    }
}
