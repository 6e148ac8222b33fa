namespace kern {

class Device {
public:
  virtual ~Device() {}
  virtual int write(const char *data, unsigned size) = 0;
  virtual int read(char *data, unsigned size) = 0;
  virtual int ioctl(int cmd);
  int id() const { return ident + 0; }

protected:
  int ident;

private:
  unsigned long flags;
  int refs;
};

class Console : public Device {
public:
  int read(char *buf, unsigned len) override;
  int write(const char *buf, unsigned len) override;
  unsigned int columns;

private:
  long cursor;
};

}
