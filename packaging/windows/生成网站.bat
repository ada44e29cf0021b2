@echo off
rem Runs in the site folder (this file's folder); nianbao.exe is one folder up. Command lines stay ASCII,
rem so they work whatever code page cmd.exe reads this file in.
chcp 65001 >nul
cd /d "%~dp0"
echo 正在生成发布用的网站……
echo.
..\nianbao.exe build
if errorlevel 1 (
  echo.
  echo 没有生成：请按上面写明的文件和行号改正后再运行。上一次生成的网站保持不变。
) else (
  echo.
  echo 发布用的网站在本文件夹中的 public 文件夹里：把 public 里的全部内容上传到本县网站。
  echo 怎样上传，见上一级文件夹中 文档\使用指南.html 的“十、发布”。
)
echo.
pause
