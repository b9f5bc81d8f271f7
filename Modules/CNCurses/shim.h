// The one C header sockpit imports ncurses through: wide API on, macros and C globals wrapped.
//
// Why each part exists (PLATFORM-NOTES.md has the long story):
// - NCURSES_WIDECHAR before <curses.h>: Debian's header hides cchar_t, setcchar, wadd_wch and
//   wget_wch otherwise.
// - Function-like macros (A_BOLD, COLOR_PAIR, KEY_F, BUTTONn_PRESSED, getmaxyx) are not imported by
//   Swift, and C globals (stdscr, COLS, LINES, COLORS, COLOR_PAIRS, stdout, stdin) are errors in
//   Swift 6 mode, so both get static inline accessors here.
// - wcwidth and memfd_create are declared only under feature macros Glibc's module does not set.
#ifndef SOCKPIT_CNCURSES_SHIM_H
#define SOCKPIT_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <wchar.h>
#include <curses.h>

int wcwidth(wchar_t c);
int memfd_create(const char *name, unsigned int flags);
#define SP_MFD_CLOEXEC 1U  /* MFD_CLOEXEC from <linux/memfd.h> */

// Globals.
static inline WINDOW *sp_stdscr(void) { return stdscr; }
static inline int sp_colors(void) { return COLORS; }
static inline int sp_color_pairs(void) { return COLOR_PAIRS; }

/// newterm on the process's stdout/stdin; unlike initscr it returns NULL instead of exiting.
static inline SCREEN *sp_newterm(const char *type) { return newterm(type, stdout, stdin); }

// Attributes.
static inline attr_t sp_a_normal(void) { return A_NORMAL; }
static inline attr_t sp_a_bold(void) { return A_BOLD; }
static inline attr_t sp_a_dim(void) { return A_DIM; }
static inline attr_t sp_a_reverse(void) { return A_REVERSE; }
static inline attr_t sp_a_underline(void) { return A_UNDERLINE; }

// Colour pairs (setcchar takes the pair number; COLOR_PAIR is for chtype attributes).
static inline attr_t sp_color_pair(int n) { return COLOR_PAIR(n); }

// Size; getmaxx/getmaxy are real functions too, this is the macro's single-call form.
static inline void sp_getmaxyx(WINDOW *w, int *y, int *x) { getmaxyx(w, *y, *x); }

// Keys.
static inline int sp_key_f(int n) { return KEY_F(n); }

// Mouse masks.
static inline mmask_t sp_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t sp_button2_pressed(void) { return BUTTON2_PRESSED; }
static inline mmask_t sp_button3_pressed(void) { return BUTTON3_PRESSED; }
static inline mmask_t sp_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t sp_button5_pressed(void) { return BUTTON5_PRESSED; }

#endif
