@echo off
rem Check the site in the folder next to this file and wait for a key.
chcp 65001 >nul
cd /d "%~dp0"
echo 正在检查“网站”文件夹中的全部内容……
echo.
nianbao.exe check --root 网站
if errorlevel 1 (
  echo.
  echo 有错误：请按上面写明的文件和行号改正，保存后再双击本文件检查。
) else (
  echo.
  echo 检查通过。如有警告，请对照原件核对。
)
echo.
pause
