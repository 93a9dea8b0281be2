//! The podsim binary: all logic lives in the library; this only maps the
//! outcome to an exit code (0 ok, 1 runtime failure, 2 usage or input error).
fn main() {
    std::process::exit(podsim::cli::main());
}
