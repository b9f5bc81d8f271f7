// The one C header sockpit imports ncurses through (see PLATFORM-NOTES.md).
#ifndef SOCKPIT_CNCURSES_SHIM_H
#define SOCKPIT_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <curses.h>
#endif
