// cpp-httplib as a system header: its own code does not follow the project's warning set.
#pragma once
#pragma GCC system_header

#include <httplib.h>
