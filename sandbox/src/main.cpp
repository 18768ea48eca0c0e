int main() { return 1; }  // Placeholder: implemented in a later commit.
