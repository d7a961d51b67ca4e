#pragma once
// A run's directory and the files in it, each written atomically (temporary file in the same
// directory, fsync, rename): a reader sees the old file or the new one, never half of one.
#include <string>

namespace spinfer {

void write_file_atomically(const std::string& path, const std::string& content);

// Creates `directory` if needed and checks that files can be created in it, so a run that could
// not save its results fails before it starts.
void ensure_writable_directory(const std::string& directory);

enum class DirectoryUse {
  fresh,      // must not exist or be empty
  overwrite,  // earlier results (and any checkpoint) are removed first
  resume,     // continue the run already in it
};

// Makes `directory` this process's run directory: checks it is writable, that no other spinfer
// process holds it (an advisory lock kept until exit), and that its contents fit `use`. Removes
// temporary files left by a killed writer. Throws spinfer::Error otherwise.
void claim_run_directory(const std::string& directory, DirectoryUse use);

// Whether a spinfer process holds `directory` as its run directory now (its lock is taken). The
// kernel drops the lock when the holder dies, however it dies.
bool run_directory_in_use(const std::string& directory);

}  // namespace spinfer
