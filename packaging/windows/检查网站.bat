@echo off
rem Runs in the site folder (this file's folder); nianbao.exe is one folder up. Command lines stay ASCII,
rem so they work whatever code page cmd.exe reads this file in.
chcp 65001 >nul
cd /d "%~dp0"
echo 正在检查本文件夹中的全部内容……
echo.
..\nianbao.exe check
if errorlevel 1 (
  echo.
  echo 有错误：请按上面写明的文件和行号改正，保存后再双击本文件检查。
) else (
  echo.
  echo 检查通过。如有警告，请对照原件核对。
)
echo.
pause
