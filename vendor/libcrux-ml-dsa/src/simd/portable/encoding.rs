pub mod commitment;
pub mod error;
pub mod gamma1;
pub mod t0;
pub mod t1;
