//! Integration tests of oncomark-study: hand-made tables first (every
//! expected value derived by hand in the comments), then the simulator's
//! design checked over many seeds, then the seed-2009 tables against an
//! independent derivation in R.

mod endpoints;
mod ihc;
mod reference;
mod response;
mod simulate;
